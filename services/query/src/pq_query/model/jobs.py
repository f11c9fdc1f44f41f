"""Sync job states and the rule that folds lifecycle events into them.

Status only moves forward: pending -> running -> done | failed. Events may arrive out
of order (SyncJobAccepted comes from the gateway, the others from ingest-history, and
a replay may repeat any of them), so an event of a lower or equal rank fills in what
is missing (symbol, interval, created_at) but never moves a job backwards, and the
first terminal event wins.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class JobStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {JobStatus.PENDING: 0, JobStatus.RUNNING: 1, JobStatus.DONE: 2, JobStatus.FAILED: 2}


@dataclass(frozen=True, slots=True)
class JobState:
    job_id: str
    status: JobStatus
    symbol: str | None = None
    interval: str | None = None
    bars: int | None = None
    error: str | None = None
    created_at: int | None = None  # epoch ms
    updated_at: int | None = None


@dataclass(frozen=True, slots=True)
class JobChange:
    """One lifecycle event, as the change it asks for."""

    job_id: str
    status: JobStatus
    at: int
    symbol: str | None = None
    interval: str | None = None
    bars: int | None = None
    error: str | None = None


def apply_change(state: JobState | None, change: JobChange) -> JobState:
    if state is None:
        state = JobState(
            change.job_id, JobStatus.PENDING, created_at=change.at, updated_at=change.at
        )
    filled = replace(
        state,
        symbol=state.symbol or change.symbol,
        interval=state.interval or change.interval,
        created_at=min(x for x in (state.created_at, change.at) if x is not None),
    )
    if change.status.rank <= state.status.rank:
        return filled
    return replace(
        filled,
        status=change.status,
        bars=change.bars if change.status is JobStatus.DONE else filled.bars,
        error=change.error if change.status is JobStatus.FAILED else filled.error,
        updated_at=change.at,
    )


def fold(states: dict[str, JobState], changes: list[JobChange]) -> dict[str, JobState]:
    """Apply `changes` in order to `states` (the stored rows of their jobs)."""
    out = dict(states)
    for change in changes:
        out[change.job_id] = apply_change(out.get(change.job_id), change)
    return out
