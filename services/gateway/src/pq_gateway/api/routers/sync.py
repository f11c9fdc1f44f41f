"""Sync jobs: POST /v1/sync publishes SyncRequested; GET /v1/sync/{job_id} reads its state."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from pq_domain import Interval, Symbol
from pq_domain.events import SyncRequested

from ...adapters.pending_jobs import PendingJobs
from ...adapters.query_forwarder import QueryForwarder
from ...idempotency.middleware import SEED_KEY as IDEMPOTENCY_SEED_KEY
from ..deps import (
    CommandPublisherDep,
    CorrelationIdDep,
    PendingJobsDep,
    QueryForwarderDep,
    SettingsDep,
    TraceparentDep,
    require_json_body,
)
from ..problems import FieldError, ProblemError, problem_responses, validation_problem
from ..schemas.fields import SymbolText
from ..schemas.sync import JobStatus, SyncAccepted, SyncCreate, SyncJobPublic, SyncJobsPage

router = APIRouter(prefix="/v1/sync", tags=["sync"])

JOB_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


def new_job_id(idempotency_seed: str | None = None) -> str:
    """A fresh id, or, under an Idempotency-Key, one derived from (caller, key): a request
    re-run after its claim's lease ran out makes the same job, and the stream's duplicate
    window drops the re-published command."""
    if idempotency_seed is not None:
        return idempotency_seed[:32]
    return uuid.uuid4().hex


# The shortest bar of each calendar interval: a range holds at most span / this many.
_SHORTEST_MS = {Interval.D1: 86_400_000, Interval.W1: 7 * 86_400_000, Interval.MN1: 28 * 86_400_000}


def most_bars_in(interval: Interval, start_ms: int, end_ms: int) -> int:
    """An upper bound of the bars [start, end) can hold (a 24x7 symbol's count)."""
    shortest = interval.millis if interval.is_intraday else _SHORTEST_MS[interval]
    return -(-(end_ms - start_ms) // shortest)


def form_errors(body: SyncCreate, max_bars: int) -> list[FieldError]:
    """The cross-field rules: exactly one of `bars` or `start`+`end`; ranges in order; at
    most PQ_SYNC_MAX_BARS bars either way."""
    ranged = body.start is not None or body.end is not None
    if body.bars is not None and ranged:
        return [FieldError(field="body.bars", message="give either bars or start/end, not both")]
    if body.bars is not None:
        if not 1 <= body.bars <= max_bars:
            message = f"must be between 1 and {max_bars} (PQ_SYNC_MAX_BARS)"
            return [FieldError(field="body.bars", message=message)]
        return []
    if not ranged:
        return [FieldError(field="body", message="give bars, or start and end")]
    missing = [name for name in ("start", "end") if getattr(body, name) is None]
    if missing:
        return [FieldError(field=f"body.{n}", message="required with a range") for n in missing]
    if body.start is not None and body.end is not None:
        if body.start >= body.end:
            return [FieldError(field="body.end", message="must be after start")]
        most = most_bars_in(body.interval, body.start, body.end)
        if most > max_bars:
            message = (
                f"the range holds up to {most} {body.interval} bars, more than "
                f"PQ_SYNC_MAX_BARS ({max_bars}); split it into smaller ranges"
            )
            return [FieldError(field="body.end", message=message)]
    return []


@router.post(
    "",
    status_code=202,
    response_model=SyncAccepted,
    dependencies=[Depends(require_json_body)],
    responses=problem_responses(400, 409, 413, 415, 422, 503),
    summary="Request a history sync",
)
async def create_sync(
    body: SyncCreate,
    request: Request,
    response: Response,
    settings: SettingsDep,
    commands: CommandPublisherDep,
    pending_jobs: PendingJobsDep,
    correlation_id: CorrelationIdDep,
    traceparent: TraceparentDep,
) -> SyncAccepted:
    errors = form_errors(body, settings.sync_max_bars)
    if errors:
        raise validation_problem(errors)
    command = SyncRequested(
        job_id=new_job_id(request.scope.get(IDEMPOTENCY_SEED_KEY)),
        symbol=Symbol.parse(body.symbol),
        interval=Interval.parse(body.interval),
        bars=body.bars,
        start=body.start,
        end=body.end,
    )
    await commands.publish_sync(command, correlation_id=correlation_id, traceparent=traceparent)
    await pending_jobs.remember(command)
    response.headers["Location"] = str(request.url_for("get_sync_job", job_id=command.job_id).path)
    return SyncAccepted(job_id=command.job_id)


async def forward_sync_job(
    query: QueryForwarder,
    pending_jobs: PendingJobs,
    job_id: str,
    query_string: str,
    *,
    correlation_id: str,
    traceparent: str | None,
) -> Response:
    """The query service's view of a (validated) job, or `pending` for one just accepted."""
    try:
        return await query.get(
            f"/v1/sync/{job_id}",
            query_string,
            correlation_id=correlation_id,
            traceparent=traceparent,
            not_found_detail=f"no sync job {job_id}",
        )
    except ProblemError as problem:
        # The query service may not have projected a job we just accepted (read-your-writes).
        pending = await pending_jobs.pending(job_id) if problem.status == 404 else None
        if pending is None:
            raise
        return Response(pending, media_type="application/json")


@router.get(
    "",
    response_model=SyncJobsPage,
    responses=problem_responses(422, 502, 503),
    summary="List sync jobs, newest first",
    description="Sync jobs with their progress, newest first (by `created_at`), filtered by "
    "`status` and `symbol`, at most `limit` a page; follow `next_cursor` for older ones. "
    "A job accepted a moment ago may take a moment to be listed (GET /v1/sync/{job_id} "
    "shows it at once).",
)
async def list_sync_jobs(
    request: Request,
    query: QueryForwarderDep,
    correlation_id: CorrelationIdDep,
    traceparent: TraceparentDep,
    status: Annotated[JobStatus | None, Query(description="Only jobs in this status")] = None,
    symbol: Annotated[
        SymbolText | None, Query(description="Only jobs of this symbol (EXCHANGE:CODE)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Jobs per page")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=200, description="`next_cursor` of the previous page")
    ] = None,
) -> Response:
    return await query.get(
        "/v1/sync",
        request.url.query,
        correlation_id=correlation_id,
        traceparent=traceparent,
        not_found_detail="no sync jobs",
    )


@router.get(
    "/{job_id}",
    response_model=SyncJobPublic,
    responses=problem_responses(404, 422, 502, 503),
    summary="A sync job's state",
    name="get_sync_job",
)
async def get_sync_job(
    job_id: Annotated[str, Path(pattern=JOB_ID_PATTERN)],
    request: Request,
    query: QueryForwarderDep,
    pending_jobs: PendingJobsDep,
    correlation_id: CorrelationIdDep,
    traceparent: TraceparentDep,
) -> Response:
    # GET is answered by the fast path (api/forwarded_reads.py): declared for the docs.
    return await forward_sync_job(
        query,
        pending_jobs,
        job_id,
        request.url.query,
        correlation_id=correlation_id,
        traceparent=traceparent,
    )
