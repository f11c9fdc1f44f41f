"""GET /v1/stream/status (shards) and GET /v1/stream/events (Server-Sent Events)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

import nats.errors
from fastapi import APIRouter, Header, Query, Request

from pq_domain import InvalidSymbol, Symbol

from ...adapters.stream_status import ShardStatus
from ...auth.middleware import caller_identity
from ...streaming.combined_feed import CombinedFeed
from ...streaming.job_feed import JobFeed
from ...streaming.live_feed import LiveFeed
from ...streaming.payloads import TimeFormat
from ...streaming.response import EventStreamResponse
from ..deps import NatsLinkDep, QueryForwarderDep, SettingsDep, StreamSlotsDep, StreamStatusDep
from ..problems import dependency_unavailable, invalid, problem_responses
from ..schemas.fields import SYMBOL_LIST_PATTERN
from ..schemas.stream import ShardStatusPublic, StreamStatus

router = APIRouter(prefix="/v1/stream", tags=["stream"])

SSE_DESCRIPTION = """Each event's `data:` is one JSON object: a `quote` in the shape of
GET /v1/quotes/{symbol} (`symbol`, `price`, `volume`, `bid`, `ask`, `ts`, `delayed`); a
`bar.provisional` or `bar.completed` in the shape of a GET /v1/bars bar (`t`, `o`, `h`,
`l`, `c`, `v`) plus `symbol`, `interval`, `ticks` and `revision`. Times are RFC 3339 UTC
(`2024-05-01T13:30:00Z`, milliseconds only when there are some), as in every REST body.
`time_format=epoch_ms` sends the events' payloads exactly as published on NATS instead
(times in epoch milliseconds, the stream's only format at first; see /asyncapi).
Completed bars carry their PQ_BARS sequence as `id:`; reconnect with `Last-Event-ID` to
get the ones missed.

Sync jobs: with `jobs=1` (every job) or `job_id=...` (one job, its current state sent at
once), `job.progress` events carry the Job JSON of GET /v1/sync/{job_id} each time it
changes while the job runs, and one `job.done` its final state (`done` once every bar
is readable, or `failed`). `symbols` may then be left out."""

_EVENT_ID = re.compile(r"[0-9]{1,19}")  # ASCII digits only: str.isdigit() also takes "²"


def _utc(epoch_ms: int) -> datetime:
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)


def _public(s: ShardStatus) -> ShardStatusPublic:
    return ShardStatusPublic(
        shard=s.shard,
        connected=s.connected,
        symbols=list(s.symbols),
        last_quote_at=None if s.last_quote_at is None else _utc(s.last_quote_at),
        reconnects=s.reconnects,
        updated_at=_utc(s.updated_at),
        error=s.error,
    )


@router.get(
    "/status",
    response_model=StreamStatus,
    responses=problem_responses(503),
    summary="Quote session state per ingest-stream shard",
)
async def stream_status(status: StreamStatusDep) -> StreamStatus:
    return StreamStatus(shards=[_public(s) for s in await status.shards()])


def parse_symbols(text: str, max_symbols: int) -> list[Symbol]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        raise invalid("query.symbols", "give at least one symbol, e.g. NASDAQ:AAPL,NYSE:BRK.B")
    if len(parts) > max_symbols:
        raise invalid("query.symbols", f"at most {max_symbols} symbols per stream")
    try:
        return sorted(set(map(Symbol.parse, parts)))
    except InvalidSymbol as exc:
        raise invalid("query.symbols", str(exc)) from None


def parse_last_event_id(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if not _EVENT_ID.fullmatch(value) or int(value) >= 2**63:
        raise invalid("header.last-event-id", "must be an event id this stream sent", status=400)
    return int(value)


@router.get(
    "/events",
    response_class=EventStreamResponse,
    status_code=200,
    responses={
        200: {
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
            "description": "Events `quote`, `bar.provisional`, `bar.completed` (with id), "
            "`job.progress`, `job.done`, and `: heartbeat` comments",
        },
        **problem_responses(400, 422, 429, 503),
    },
    summary="Server-Sent Events of live quotes and bars for the given symbols",
    description=SSE_DESCRIPTION,
)
async def stream_events(
    request: Request,
    settings: SettingsDep,
    nats_link: NatsLinkDep,
    query: QueryForwarderDep,
    slots: StreamSlotsDep,
    symbols: Annotated[
        str | None,
        Query(
            max_length=4096,
            description="Comma-separated symbols, at most PQ_SSE_MAX_SYMBOLS (50); "
            "required unless `jobs` or `job_id` is given",
            json_schema_extra={"pattern": SYMBOL_LIST_PATTERN},
        ),
    ] = None,
    jobs: Annotated[bool, Query(description="`1`: job.progress and job.done of every job")] = False,
    job_id: Annotated[
        str | None,
        Query(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="job.progress/job.done of one job"),
    ] = None,
    last_event_id: Annotated[
        str | None, Header(description="Resume completed bars after this id")
    ] = None,
    time_format: Annotated[
        TimeFormat,
        Query(
            description="`rfc3339` (default): `ts`/`t` as in REST bodies; `epoch_ms`: as published"
        ),
    ] = "rfc3339",
) -> EventStreamResponse:
    with_jobs = jobs or job_id is not None
    wanted = (
        []
        if symbols is None and with_jobs
        else parse_symbols(symbols or "", settings.sse_max_symbols)
    )
    resume_after = parse_last_event_id(last_event_id)
    release = slots.acquire(caller_identity(request.scope))
    feed = LiveFeed(
        nats_link.client(),
        wanted,
        last_event_id=resume_after,
        queue_size=settings.sse_queue_size,
        time_format=time_format,
    )
    job_feed = None
    if with_jobs:
        job_feed = JobFeed(nats_link.client(), query.upstream, feed.offer, job_id=job_id)
    try:
        await feed.open()
        if job_feed is not None:
            await job_feed.open()
    except (nats.errors.Error, TimeoutError) as exc:  # includes PQ_BARS not provisioned
        release()
        await CombinedFeed(feed, job_feed).close()
        raise dependency_unavailable("NATS", "the live stream is unavailable") from exc
    except BaseException:
        release()
        raise
    return EventStreamResponse(
        CombinedFeed(feed, job_feed), heartbeat_s=settings.sse_heartbeat_s, on_close=release
    )
