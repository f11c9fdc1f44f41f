"""Sync job states and the rule that folds lifecycle events into them.

Status only moves forward: pending -> running -> done | failed. Events may arrive out
of order (SyncJobAccepted comes from the gateway, the others from ingest-history, and
a replay may repeat any of them), so an event of a lower or equal rank fills in what
is missing (symbol, interval, created_at, started_at) but never moves a job backwards,
and the first terminal event wins. Progress (SyncJobProgressed) ranks as running: its
count only grows, and stops once the job has ended.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from .symbols import ChunkProgress


class JobStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def ended(self) -> bool:
        return self.rank == 2


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
    bars_fetched: int = 0
    expected: int | None = None
    started_at: int | None = None
    finished_at: int | None = None


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
    bars_fetched: int | None = None  # a progress event
    expected: int | None = None


def _earliest(*values: int | None) -> int | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _progressed(state: JobState, change: JobChange) -> JobState:
    if change.bars_fetched is None:
        return state
    expected = state.expected if state.expected is not None else change.expected
    if state.status.ended:  # the final count is the job's `bars`
        return replace(state, expected=expected)
    return replace(
        state, bars_fetched=max(state.bars_fetched, change.bars_fetched), expected=expected
    )


def apply_change(state: JobState | None, change: JobChange) -> JobState:
    if state is None:
        state = JobState(
            change.job_id, JobStatus.PENDING, created_at=change.at, updated_at=change.at
        )
    running = change.status is JobStatus.RUNNING
    filled = replace(
        state,
        symbol=state.symbol or change.symbol,
        interval=state.interval or change.interval,
        created_at=_earliest(state.created_at, change.at),
        started_at=_earliest(state.started_at, change.at) if running else state.started_at,
    )
    filled = _progressed(filled, change)
    if change.status.rank <= state.status.rank:
        return filled
    done = change.status is JobStatus.DONE
    return replace(
        filled,
        status=change.status,
        bars=change.bars if done else filled.bars,
        bars_fetched=change.bars if done and change.bars is not None else filled.bars_fetched,
        error=change.error if change.status is JobStatus.FAILED else filled.error,
        updated_at=change.at,
        finished_at=change.at if change.status.ended else None,
    )


def shown_status(state: JobState, chunks: ChunkProgress) -> JobStatus:
    """`done` is shown once the job is done *and* all its BarSynced chunks are in the bars
    model (the two arrive on different streams): a client that sees `done` can read the
    bars at once. Until then the job shows `running`."""
    if state.status is JobStatus.DONE and state.bars and not chunks.complete:
        return JobStatus.RUNNING
    return state.status


def fold(states: dict[str, JobState], changes: list[JobChange]) -> dict[str, JobState]:
    """Apply `changes` in order to `states` (the stored rows of their jobs)."""
    out = dict(states)
    for change in changes:
        out[change.job_id] = apply_change(out.get(change.job_id), change)
    return out
