"""SyncRequested -> job started, history fetched, bars and outcome committed through the outbox.

Three steps, and only short transactions:
1. a unit of work records the job as running and SyncJobStarted (unless the inbox says the
   command was already done: a redelivery then emits nothing);
2. the fetch, with retries, outside any transaction, the message kept alive meanwhile;
   each round of it records SyncJobProgressed (sync_progress.py, a unit of work each);
3. one unit of work writes the job record, SymbolResolved, the BarSynced chunks and
   SyncJobCompleted (or SyncJobFailed), and the inbox record of the command.

Each unit of work is a store span inside the consumer's span; the outbox rows appended in
it keep that span's context, which the relay's publish continues.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

import structlog

from pq_domain.events import SyncJobCompleted, SyncJobFailed, SyncJobStarted, SyncRequested
from pq_domain.subjects import SYNC_JOB_EVENTS, bars_synced_subject, symbol_meta_subject
from pq_runtime.messaging import Delivery
from pq_runtime.stores import UnitOfWork, UnitOfWorkFactory
from pq_runtime.telemetry import correlation_scope, store_span

from ..adapters.clock import now_ms
from ..metrics import SyncMetrics
from ..model.completed_bars import complete_bars, session_of
from ..model.retry_policy import RetryPolicy, with_retries
from ..model.sync_events import bar_chunks
from ..model.sync_job import SyncJob, SyncJobRepository
from ..ports import FetchedHistory, HistoryQuery, HistorySource, PermanentFetchError
from .keep_alive import Ping, keeping_alive
from .sync_progress import ProgressReporter

log = structlog.get_logger(__name__)
U = TypeVar("U", bound=UnitOfWork)
INBOX = "ingest-history-sync"  # the inbox's consumer name for sync commands


class SyncOutcome(StrEnum):
    DONE = "done"
    FAILED = "failed"
    DUPLICATE = "duplicate"  # already done by an earlier delivery: nothing emitted


@dataclass(frozen=True, slots=True)
class SyncResult:
    outcome: SyncOutcome
    bars: int = 0


@dataclass(frozen=True, slots=True)
class SyncDeps(Generic[U]):
    store: UnitOfWorkFactory[U]
    jobs: SyncJobRepository[U]
    history: HistorySource
    retry: RetryPolicy
    keep_alive_s: float = 10.0
    clock: Callable[[], int] = now_ms
    metrics: SyncMetrics | None = None


class SyncRequestedHandler(Generic[U]):
    def __init__(self, deps: SyncDeps[U]) -> None:
        self._d = deps

    async def __call__(self, _: UnitOfWork, deliveries: Sequence[Delivery]) -> None:
        """The BatchConsumer's handler (its unit of work is a NoTransaction, unused)."""
        for d in deliveries:
            command = SyncRequested.from_payload(d.data)  # InvalidEvent: dead-lettered
            started = time.monotonic()
            with correlation_scope(d.envelope.correlation_id):
                result = await self.handle(
                    command, attempt=d.delivered, keep_alive=d.msg.in_progress
                )
            if self._d.metrics is not None:
                self._d.metrics.job(result.outcome, result.bars, time.monotonic() - started)

    async def handle(self, command: SyncRequested, *, attempt: int, keep_alive: Ping) -> SyncResult:
        d = self._d
        job = SyncJob.started(command, attempt=attempt, at=d.clock())
        if not await self._start(command, job):
            log.info("sync.duplicate", job_id=command.job_id)
            return SyncResult(SyncOutcome.DUPLICATE)
        progress = ProgressReporter(command, attempt, self._traced_unit_of_work, d.clock)
        try:
            async with keeping_alive(keep_alive, d.keep_alive_s):
                fetched = await with_retries(
                    lambda: d.history.fetch(_query_of(command), progress),
                    d.retry,
                    what=str(command.symbol),
                )
        except PermanentFetchError as exc:
            log.warning("sync.failed", job_id=command.job_id, error=str(exc))
            return await self._fail(command, job, str(exc))
        return await self._complete(command, job, fetched)

    async def _start(self, command: SyncRequested, job: SyncJob) -> bool:
        async with self._traced_unit_of_work("sync.start") as uow:
            if await uow.seen(INBOX, [command.event_id]):
                return False
            await self._d.jobs.save(uow, job)
            uow.outbox.add(
                SyncJobStarted(job.job_id, at=job.updated_at, attempt=job.attempt), SYNC_JOB_EVENTS
            )
            await uow.commit()
        return True

    async def _complete(
        self, command: SyncRequested, job: SyncJob, fetched: FetchedHistory
    ) -> SyncResult:
        d = self._d
        at = d.clock()
        session = session_of(command.symbol, fetched.session, fetched.timezone)
        bars = complete_bars(fetched.bars, command.interval, at, session, newest=command.bars)
        chunks = bar_chunks(command, bars)
        subject = bars_synced_subject(command.symbol, command.interval)
        async with self._traced_unit_of_work("sync.complete") as uow:
            if await uow.seen(INBOX, [command.event_id]):
                return SyncResult(SyncOutcome.DUPLICATE)  # another delivery finished first
            uow.mark_processed(INBOX, [command.event_id])
            await d.jobs.save(uow, job.done(bars, at=at))
            uow.outbox.add(fetched.symbol_info, symbol_meta_subject(command.symbol))
            for chunk in chunks:
                uow.outbox.add(chunk, subject)
            uow.outbox.add(SyncJobCompleted(job.job_id, bars=len(bars), at=at), SYNC_JOB_EVENTS)
            await uow.commit()
        log.info("sync.done", job_id=job.job_id, bars=len(bars), chunks=len(chunks))
        return SyncResult(SyncOutcome.DONE, len(bars))

    async def _fail(self, command: SyncRequested, job: SyncJob, error: str) -> SyncResult:
        at = self._d.clock()
        async with self._traced_unit_of_work("sync.fail") as uow:
            if await uow.seen(INBOX, [command.event_id]):
                return SyncResult(SyncOutcome.DUPLICATE)
            uow.mark_processed(INBOX, [command.event_id])
            await self._d.jobs.save(uow, job.failed(error, at=at))
            uow.outbox.add(SyncJobFailed(job.job_id, error=error, at=at), SYNC_JOB_EVENTS)
            await uow.commit()
        return SyncResult(SyncOutcome.FAILED)

    @asynccontextmanager
    async def _traced_unit_of_work(self, operation: str) -> AsyncIterator[U]:
        with store_span(operation):
            async with self._d.store.unit_of_work() as uow:
                yield uow


def _query_of(command: SyncRequested) -> HistoryQuery:
    # One more bar than asked: if the newest one turns out to be still forming by our
    # clock, complete_bars drops it and the count still comes out right.
    return HistoryQuery(
        symbol=command.symbol,
        interval=command.interval,
        bars=None if command.bars is None else command.bars + 1,
        start_ms=command.start,
        end_ms=command.end,
    )
