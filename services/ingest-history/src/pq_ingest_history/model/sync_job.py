"""The service's own state: one record per sync job (what was asked, how it ended, the range).

The fetched bars themselves travel in the BarSynced outbox rows written in the same
transaction; PQ_BARS is their durable history and the query service owns the bars read
model, so keeping a second copy here would double every write for no reader.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Protocol, TypeVar

from pq_domain import Bar
from pq_domain.events import SyncRequested

U_contra = TypeVar("U_contra", contravariant=True)


class JobStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class SyncJob:
    job_id: str
    symbol: str
    interval: str
    requested_bars: int | None
    start_ms: int | None
    end_ms: int | None
    status: JobStatus
    attempt: int
    updated_at: int  # epoch ms
    bars: int = 0
    first_t: int | None = None
    last_t: int | None = None
    error: str | None = None

    @classmethod
    def started(cls, command: SyncRequested, *, attempt: int, at: int) -> SyncJob:
        return cls(
            job_id=command.job_id,
            symbol=str(command.symbol),
            interval=command.interval.value,
            requested_bars=command.bars,
            start_ms=command.start,
            end_ms=command.end,
            status=JobStatus.RUNNING,
            attempt=attempt,
            updated_at=at,
        )

    def done(self, bars: tuple[Bar, ...], *, at: int) -> SyncJob:
        return replace(
            self,
            status=JobStatus.DONE,
            updated_at=at,
            bars=len(bars),
            first_t=bars[0].t if bars else None,
            last_t=bars[-1].t if bars else None,
        )

    def failed(self, error: str, *, at: int) -> SyncJob:
        return replace(self, status=JobStatus.FAILED, updated_at=at, error=error)


class SyncJobRepository(Protocol[U_contra]):
    """Writes job records inside the caller's unit of work (same transaction as the outbox)."""

    async def save(self, uow: U_contra, job: SyncJob) -> None: ...
