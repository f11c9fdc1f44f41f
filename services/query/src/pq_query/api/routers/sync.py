"""GET /v1/sync/{job_id} and GET /v1/sync: sync jobs with their progress, newest first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from pq_domain import InvalidSymbol, Symbol

from ...model.cursor import InvalidCursor
from ...model.job_listing import DEFAULT_JOBS_LIMIT, MAX_JOBS_LIMIT, JobsCursor, JobsQuery
from ...model.jobs import JobStatus, shown_status
from ...model.symbols import NO_CHUNKS
from ..deps import ResourcesDep
from ..job_bodies import job_body, job_public, jobs_body
from ..problems import invalid, not_found

router = APIRouter(prefix="/v1/sync", tags=["sync"])


@router.get("/{job_id}", summary="A sync job's state and progress")
async def get_sync_job(
    r: ResourcesDep, job_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
) -> Response:
    state = await r.models.jobs_reader.get(job_id)
    if state is None:
        raise not_found(f"no sync job {job_id}")
    chunks = await r.live.current.reader.chunk_progress([job_id])
    return Response(job_body(state, chunks.get(job_id, NO_CHUNKS)), media_type="application/json")


def _jobs_query(
    status: JobStatus | None, symbol: str | None, limit: int, cursor: str | None
) -> JobsQuery:
    try:
        canonical = None if symbol is None else str(Symbol.parse(symbol))
    except InvalidSymbol as exc:
        raise invalid("query.symbol", str(exc)) from None
    try:
        after = None if cursor is None else JobsCursor.decode(cursor)
    except InvalidCursor as exc:
        raise invalid("query.cursor", str(exc)) from None
    return JobsQuery(status, canonical, limit, after)


@router.get("", summary="Sync jobs, newest first")
async def list_sync_jobs(
    r: ResourcesDep,
    status: Annotated[JobStatus | None, Query()] = None,
    symbol: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_JOBS_LIMIT)] = DEFAULT_JOBS_LIMIT,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    q = _jobs_query(status, symbol, limit, cursor)
    # One more than the page tells whether another follows. Filtered on the stored
    # status, then on the shown one (a done job whose bars are not all in shows running).
    states = await r.models.jobs_reader.list(JobsQuery(q.status, q.symbol, limit + 1, q.after))
    more = len(states) > limit
    del states[limit:]
    chunks = await r.live.current.reader.chunk_progress([s.job_id for s in states])
    jobs = [
        job_public(s, chunks.get(s.job_id, NO_CHUNKS))
        for s in states
        if status is None or shown_status(s, chunks.get(s.job_id, NO_CHUNKS)) is status
    ]
    last = states[-1] if more and states else None
    next_cursor = None
    if last is not None and last.created_at is not None:
        next_cursor = JobsCursor(last.created_at, last.job_id).encode()
    return Response(jobs_body(jobs, next_cursor), media_type="application/json")
