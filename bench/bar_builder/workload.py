"""The benchmark's quotes, how they are published, and waiting on a condition."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from nats.aio.client import Client

from pq_domain import Symbol
from pq_domain.events import QuoteReceived
from pq_domain.subjects import quotes_subject
from pq_runtime.envelope import Envelope

SYMBOLS, ROUNDS = 50, 600  # 30,000 quotes of backlog, 10 minutes of event time per symbol
START_MS = 1_704_067_200_000
GRACE_MS = 2_000
BARS = {"grace_ms": GRACE_MS, "lateness_ms": 60_000, "idle_timeout_ms": 3_600_000}


def quotes(prefix: str, n_symbols: int, rounds: int, t0: int) -> list[list[QuoteReceived]]:
    """Rounds of one quote per symbol; event time +1 s per round."""
    syms = [Symbol("BENCH", f"{prefix}{i:03d}") for i in range(n_symbols)]
    return [
        [QuoteReceived(s, 100.0 + k % 13 / 10, float(k * 10), t0 + k * 1000) for s in syms]
        for k in range(rounds)
    ]


async def publish(nc: Client, batch: list[QuoteReceived]) -> float:
    """msgs/s of publishing `batch` into PQ_QUOTES, all acks awaited."""
    js = nc.jetstream(publish_async_max_pending=20_000)
    started = time.perf_counter()
    futures = []
    for q in batch:
        e = Envelope.of(q, quotes_subject(q.symbol))
        futures.append(await js.publish_async(e.subject, e.payload, headers=e.headers()))
    await asyncio.gather(*futures)
    return len(batch) / (time.perf_counter() - started)


async def until(
    probe: Callable[[], Awaitable[bool]], interval: float = 0.01, *, deadline_s: float = 180.0
) -> None:
    """Poll `probe`; a benchmark that cannot finish must fail, never hang `make bench`."""
    give_up = time.monotonic() + deadline_s
    while not await probe():
        if time.monotonic() > give_up:
            what = getattr(probe, "__name__", "probe")
            raise TimeoutError(f"{what} not true after {deadline_s}s")
        await asyncio.sleep(interval)
