"""`Annotated` dependency aliases: routes declare what they need, never how it is built."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Path, Request

from pq_domain import InvalidSymbol, Symbol
from pq_runtime.telemetry import CANONICAL_TRACEPARENT, current_traceparent

from ..adapters.command_publisher import CommandPublisher
from ..adapters.nats_link import NatsLink
from ..adapters.pending_jobs import PendingJobs
from ..adapters.query_forwarder import ForwardedRead, QueryForwarder
from ..adapters.schedules import KvSchedules
from ..adapters.stream_status import KvStreamStatus
from ..adapters.watchlist import KvWatchlist
from ..auth.authenticator import Principal
from ..auth.middleware import SCOPE_KEY as PRINCIPAL_SCOPE_KEY
from ..edge.correlation import SCOPE_KEY as CORRELATION_SCOPE_KEY
from ..resources import GatewayResources
from ..settings import GatewaySettings
from ..streaming.slots import StreamSlots
from ..webhooks.store import WebhookStore
from .problems import ProblemError, invalid
from .schemas.fields import SYMBOL_SCHEMA

# Every dependency is `async def`: a plain `def` would cost a threadpool hop per request.


async def _resources(request: Request) -> GatewayResources:
    resources: GatewayResources = request.app.state.resources
    return resources


ResourcesDep = Annotated[GatewayResources, Depends(_resources)]


async def _settings(r: ResourcesDep) -> GatewaySettings:
    return r.settings


async def _nats(r: ResourcesDep) -> NatsLink:
    return r.nats


async def _commands(r: ResourcesDep) -> CommandPublisher:
    return r.commands


async def _query(r: ResourcesDep) -> QueryForwarder:
    return r.query


async def _pending_jobs(r: ResourcesDep) -> PendingJobs:
    return r.pending_jobs


async def _webhooks(r: ResourcesDep) -> WebhookStore:
    return r.webhooks


async def _watchlist(r: ResourcesDep) -> KvWatchlist:
    return r.watchlist


async def _schedules(r: ResourcesDep) -> KvSchedules:
    return r.schedules


async def _stream_status(r: ResourcesDep) -> KvStreamStatus:
    return r.stream_status


async def _stream_slots(r: ResourcesDep) -> StreamSlots:
    return r.stream_slots


_NOBODY = Principal(key_id=None, name="unauthenticated", scopes=frozenset())


async def _principal(request: Request) -> Principal:
    """The caller the auth middleware let in (with auth disabled: the anonymous admin)."""
    principal: Principal = request.scope.get(PRINCIPAL_SCOPE_KEY, _NOBODY)
    return principal


async def _correlation_id(request: Request) -> str:
    return str(request.scope[CORRELATION_SCOPE_KEY])


async def _traceparent(
    traceparent: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> str | None:
    """Our current span's traceparent; otherwise the caller's, passed on when well-formed."""
    ours = current_traceparent()
    if ours:
        return ours
    return traceparent if traceparent and CANONICAL_TRACEPARENT.fullmatch(traceparent) else None


async def _forwarded_read(
    request: Request,
    correlation_id: Annotated[str, Depends(_correlation_id)],
    traceparent: Annotated[str | None, Depends(_traceparent)],
) -> ForwardedRead:
    return ForwardedRead(request.url.query, correlation_id, traceparent)


async def _path_symbol(
    symbol: Annotated[
        str,
        Path(
            description="`EXCHANGE:CODE`; the colon may be sent as %3A",
            json_schema_extra=SYMBOL_SCHEMA,
        ),
    ],
) -> Symbol:
    try:
        return Symbol.parse(symbol)
    except InvalidSymbol as exc:
        raise invalid("path.symbol", str(exc)) from None


async def require_json_body(
    content_type: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> None:
    """415 unless the body is declared as JSON (`application/json` or `...+json`)."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise ProblemError(
            415,
            f"send the body as application/json (got {content_type or 'no Content-Type'})",
        )


SettingsDep = Annotated[GatewaySettings, Depends(_settings)]
NatsLinkDep = Annotated[NatsLink, Depends(_nats)]
CommandPublisherDep = Annotated[CommandPublisher, Depends(_commands)]
QueryForwarderDep = Annotated[QueryForwarder, Depends(_query)]
WatchlistDep = Annotated[KvWatchlist, Depends(_watchlist)]
PendingJobsDep = Annotated[PendingJobs, Depends(_pending_jobs)]
WebhookStoreDep = Annotated[WebhookStore, Depends(_webhooks)]
SchedulesDep = Annotated[KvSchedules, Depends(_schedules)]
StreamStatusDep = Annotated[KvStreamStatus, Depends(_stream_status)]
StreamSlotsDep = Annotated[StreamSlots, Depends(_stream_slots)]
CorrelationIdDep = Annotated[str, Depends(_correlation_id)]
TraceparentDep = Annotated[str | None, Depends(_traceparent)]
ForwardedReadDep = Annotated[ForwardedRead, Depends(_forwarded_read)]
SymbolPathDep = Annotated[Symbol, Depends(_path_symbol)]
PrincipalDep = Annotated[Principal, Depends(_principal)]
