"""Publish a corpus, run a consumer over it, wait until every message is settled."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from nats.js import JetStreamContext

from pq_runtime.messaging import BatchConsumer, ConsumerSpec
from tests.support.waiting import wait_for

from .accounting import Published, settled
from .cases import FuzzCase
from .dead_letters import Letter, dead_letters

AppliedProbe = Callable[[Sequence[Published]], Awaitable[Counter[int]]]

# Fast redelivery so the retry path (handler errors that are not permanent) ends in seconds.
FAST_RETRY = {"max_deliver": 3, "backoff_s": (0.05, 0.1), "fetch_timeout_s": 0.2}


def fuzz_spec(stream: str, durable: str, subjects: tuple[str, ...], **extra: Any) -> ConsumerSpec:
    return ConsumerSpec(stream, durable, subjects, batch_size=64, **{**FAST_RETRY, **extra})


@dataclass(frozen=True, slots=True)
class FuzzRun:
    published: list[Published]
    applied: Counter[int]
    letters: list[Letter]


async def publish(js: JetStreamContext, cases: Sequence[FuzzCase]) -> list[Published]:
    out: list[Published] = []
    for case in cases:
        ack = await js.publish(case.subject, case.payload, headers=case.headers)
        assert not ack.duplicate, f"corpus ids must be unique: {case.label}"
        out.append(Published(ack.seq, case))
    return out


async def fuzz_through(
    consumer: BatchConsumer[Any],
    js: JetStreamContext,
    cases: Sequence[FuzzCase],
    applied_probe: AppliedProbe,
    *,
    deadline_s: float = 40.0,
) -> FuzzRun:
    """Publish `cases` while `consumer` runs; fail if it crashes or does not settle in time."""
    await consumer.start()
    task = asyncio.create_task(consumer.run())
    try:
        published = await publish(js, cases)
        stream = consumer.spec.stream

        async def all_settled() -> FuzzRun | None:
            if task.done():
                task.result()  # re-raise the crash: the consumer must never die
                raise AssertionError("the consumer returned although it was not stopped")
            applied = await applied_probe(published)
            letters = await dead_letters(js, stream)
            if not settled(published, applied, letters):
                return None
            info = await js.consumer_info(stream, consumer.spec.durable)
            if info.num_pending or info.num_ack_pending:
                return None
            return FuzzRun(published, applied, letters)

        run = await wait_for(all_settled, timeout=deadline_s, interval=0.2, what="corpus settled")
        assert run is not None
        return run
    finally:
        consumer.stop()
        await asyncio.wait_for(task, timeout=10)
