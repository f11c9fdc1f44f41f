"""The query service's durable consumers and a runner that keeps one alive until stopped."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import structlog
from nats.js.api import ConsumerConfig, DeliverPolicy

from pq_domain.events import (
    JOB_LIFECYCLE_EVENTS,
    BarCompleted,
    BarSynced,
    QuoteReceived,
    SymbolResolved,
)
from pq_domain.subjects import (
    BARS_COMPLETED_ALL,
    BARS_SYNCED_ALL,
    QUOTES_ALL,
    STREAM_BARS,
    STREAM_JOBS,
    STREAM_QUOTES,
    SYMBOLS_META_ALL,
    SYNC_JOB_EVENTS,
)
from pq_runtime.messaging import BatchConsumer, ConsumerSpec

from ..settings import QuerySettings

log = structlog.get_logger(__name__)
BARS_DURABLE = "query-bars"
BARS_SUBJECTS = (BARS_SYNCED_ALL, BARS_COMPLETED_ALL, SYMBOLS_META_ALL)
# What each projection reads: another event type or schema version is dead-lettered by
# the runtime before the projection sees it (docs/fuzzing.md, F4).
BARS_EVENTS = (BarSynced, BarCompleted, SymbolResolved)
QUOTES_EVENTS = (QuoteReceived,)


@dataclass(frozen=True, slots=True)
class NewOnlyConsumerSpec(ConsumerSpec):
    """Starts at the stream's end when first created (the latest quote needs no history)."""

    def config(self) -> ConsumerConfig:
        config = ConsumerSpec.config(self)
        config.deliver_policy = DeliverPolicy.NEW
        return config


def bars_spec(s: QuerySettings) -> ConsumerSpec:
    return ConsumerSpec(
        STREAM_BARS.name,
        BARS_DURABLE,
        BARS_SUBJECTS,
        batch_size=s.bars_batch_size,
        events=BARS_EVENTS,
    )


def jobs_spec(s: QuerySettings) -> ConsumerSpec:
    return ConsumerSpec(
        STREAM_JOBS.name,
        "query-jobs",
        (SYNC_JOB_EVENTS,),
        batch_size=s.jobs_batch_size,
        events=JOB_LIFECYCLE_EVENTS,
    )


def quotes_spec(s: QuerySettings) -> ConsumerSpec:
    return NewOnlyConsumerSpec(
        STREAM_QUOTES.name,
        "query-quotes",
        (QUOTES_ALL,),
        batch_size=s.quotes_batch_size,
        idempotency="natural_key",
        events=QUOTES_EVENTS,
    )


class ConsumerRunner:
    """Runs a fresh BatchConsumer from `make` until `stop`; restarts it after a failure
    (e.g. NATS unreachable at start). `stop` lets the batch in hand finish and be acked."""

    def __init__(self, name: str, make: Callable[[], BatchConsumer[Any]]) -> None:
        self.name = name
        self._make = make
        self._consumer: BatchConsumer[Any] | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._subscribed = asyncio.Event()

    def start(self) -> None:
        self._stopping = False
        self._consumer = self._make()
        self._task = asyncio.create_task(self._run(self._consumer), name=f"consumer-{self.name}")

    async def _run(self, consumer: BatchConsumer[Any]) -> None:
        while not self._stopping:
            try:
                await consumer.start()
                self._subscribed.set()
                await consumer.run()
                return
            except Exception as exc:
                log.warning("consumer.crashed", consumer=self.name, error=repr(exc))
                await asyncio.sleep(1.0)  # back off before a fresh start

    async def wait_subscribed(self, timeout_s: float) -> bool:
        """Wait until the durable exists: a deliver-new consumer (quotes) sees every message
        published after this, none published before. False if NATS did not answer in time
        (the runner keeps trying)."""
        try:
            await asyncio.wait_for(self._subscribed.wait(), timeout_s)
        except TimeoutError:
            return False
        return True

    async def stop(self, timeout_s: float = 10.0) -> None:
        self._stopping = True
        if self._consumer is not None:
            self._consumer.stop()
        task, self._task = self._task, None
        if task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout_s)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
