"""Sync job bodies: the Job shape of GET /v1/sync/{job_id} and the listing's page."""

from __future__ import annotations

import msgspec

from pq_domain.instants import format_instant

from ..model.jobs import JobState, JobStatus, shown_status
from ..model.symbols import ChunkProgress

_encoder = msgspec.json.Encoder()


class ProgressPublic(msgspec.Struct):
    bars_fetched: int
    bars_written: int
    expected: int | None


class SyncJobPublic(msgspec.Struct):
    job_id: str
    status: str
    symbol: str | None
    interval: str | None
    bars: int | None
    error: str | None
    progress: ProgressPublic
    created_at: str | None
    started_at: str | None
    finished_at: str | None


class SyncJobsPage(msgspec.Struct):
    jobs: list[SyncJobPublic]
    next_cursor: str | None


def _instant(epoch_ms: int | None) -> str | None:
    return None if epoch_ms is None else format_instant(epoch_ms)


def job_public(state: JobState, chunks: ChunkProgress) -> SyncJobPublic:
    """The job as clients see it: `done` only once its bars are readable (model/jobs.py,
    `shown_status`); `bars` and `finished_at` only once the shown status has ended."""
    status = shown_status(state, chunks)
    written = chunks.bars
    if status is JobStatus.DONE:  # every chunk is in (chunks written before counts: 0)
        written = max(written, state.bars or 0)
    return SyncJobPublic(
        job_id=state.job_id,
        status=status.value,
        symbol=state.symbol,
        interval=state.interval,
        bars=state.bars if status is JobStatus.DONE else None,
        error=state.error,
        progress=ProgressPublic(state.bars_fetched, written, state.expected),
        created_at=_instant(state.created_at),
        started_at=_instant(state.started_at),
        finished_at=_instant(state.finished_at) if status.ended else None,
    )


def job_body(state: JobState, chunks: ChunkProgress) -> bytes:
    return _encoder.encode(job_public(state, chunks))


def jobs_body(jobs: list[SyncJobPublic], cursor: str | None) -> bytes:
    return _encoder.encode(SyncJobsPage(jobs, cursor))
