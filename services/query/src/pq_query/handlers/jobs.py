"""The jobs projection: PQ_JOBS lifecycle events -> the sync jobs read model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from pq_domain.events import (
    SyncJobAccepted,
    SyncJobCompleted,
    SyncJobFailed,
    SyncJobProgressed,
    SyncJobStarted,
)
from pq_runtime.messaging import Delivery, PermanentError
from pq_runtime.stores import UnitOfWork

from ..metrics import QueryMetrics
from ..model.jobs import JobChange, JobStatus, fold
from ..ports import JobsWriter
from .hooked_uow import HookedUnitOfWork

U = TypeVar("U", bound=UnitOfWork)


def job_change(d: Delivery) -> JobChange:
    kind, p = d.envelope.event_type, d.data
    if kind == SyncJobAccepted.EVENT_TYPE:
        a = SyncJobAccepted.from_payload(p)
        return JobChange(
            a.job_id, JobStatus.PENDING, a.at, symbol=str(a.symbol), interval=a.interval.value
        )
    if kind == SyncJobStarted.EVENT_TYPE:
        s = SyncJobStarted.from_payload(p)
        return JobChange(s.job_id, JobStatus.RUNNING, s.at)
    if kind == SyncJobProgressed.EVENT_TYPE:
        g = SyncJobProgressed.from_payload(p)
        return JobChange(
            g.job_id, JobStatus.RUNNING, g.at, bars_fetched=g.bars_fetched, expected=g.expected
        )
    if kind == SyncJobCompleted.EVENT_TYPE:
        c = SyncJobCompleted.from_payload(p)
        return JobChange(c.job_id, JobStatus.DONE, c.at, bars=c.bars)
    if kind == SyncJobFailed.EVENT_TYPE:
        f = SyncJobFailed.from_payload(p)
        return JobChange(f.job_id, JobStatus.FAILED, f.at, error=f.error)
    raise PermanentError(f"unexpected event type {kind!r} on {d.envelope.subject}")


class JobsProjection(Generic[U]):
    def __init__(self, writer: JobsWriter[U], metrics: QueryMetrics | None = None) -> None:
        self._writer = writer
        self._metrics = metrics

    async def __call__(self, uow: HookedUnitOfWork[U], deliveries: Sequence[Delivery]) -> None:
        changes = [job_change(d) for d in deliveries]
        stored = await self._writer.load(uow.inner, [c.job_id for c in changes])
        folded = fold(stored, changes)
        changed = [s for job_id, s in folded.items() if stored.get(job_id) != s]
        await self._writer.save(uow.inner, changed)
        if self._metrics is not None:
            self._metrics.observe_batch("jobs", len(deliveries), 0.0)
