"""The fast path of the forwarded reads, in pure ASGI (the innermost middleware).

`GET /v1/bars`, `/v1/sync/{job_id}`, `/v1/symbols`, `/v1/symbols/{symbol}` and
`/v1/quotes/{symbol}` validate a few inputs and pass the query service's answer through,
yet FastAPI's routing, dependency resolution and request/response objects cost more CPU
than the rest of the gateway together (bench/bench_gateway.py, issue 7). Here they are
answered directly, after the same middleware (correlation id, telemetry, auth, rate
limit), with the same validation (read_inputs.py) and problems; their FastAPI routes stay
declared, so the OpenAPI document is still generated from them. `scope["route"]` is set
to the route so metrics and spans carry its template as before. Paths FastAPI would not
route to these endpoints (`/v1/sync/`, `/v1/sync/a/b`) are left to FastAPI.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from pq_domain import InvalidSymbol, Symbol

from ..adapters.query_forwarder import ForwardedRead
from ..edge.correlation import SCOPE_KEY as CORRELATION_SCOPE_KEY
from ..resources import resources_of
from .problems import ProblemError, invalid, response_for
from .read_inputs import traceparent_of, validated_job_id, validated_query
from .routers import bars, quotes, symbols, sync
from .schemas.bars_query import BarsQuery

Handler = Callable[[Scope, str], Awaitable[Response]]


class ForwardedReadsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # The APIRoute objects FastAPI itself puts in `scope["route"]` for these endpoints.
        by_endpoint: dict[object, BaseRoute] = {
            getattr(route, "endpoint", None): route
            for router in (bars.router, sync.router, symbols.router, quotes.router)
            for route in router.routes
        }
        # (exact path or prefix, handler, route); a prefix's handler gets the rest of the path.
        self._exact: dict[str, tuple[Handler, BaseRoute]] = {
            "/v1/bars": (_bars, by_endpoint[bars.list_bars]),
            "/v1/symbols": (_symbols, by_endpoint[symbols.list_symbols]),
        }
        self._prefixed: tuple[tuple[str, Handler, BaseRoute], ...] = (
            ("/v1/sync/", _sync_job, by_endpoint[sync.get_sync_job]),
            ("/v1/symbols/", _symbol, by_endpoint[symbols.get_symbol]),
            ("/v1/quotes/", _quote, by_endpoint[quotes.get_quote]),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        match = self._match(path)
        if match is None:
            await self.app(scope, receive, send)
            return
        handler, route, rest = match
        scope["route"] = route
        try:
            response = await handler(scope, rest)
        except ProblemError as problem:
            response = response_for(problem, path)
        await response(scope, receive, send)

    def _match(self, path: str) -> tuple[Handler, BaseRoute, str] | None:
        exact = self._exact.get(path)
        if exact is not None:
            return (*exact, "")
        for prefix, handler, route in self._prefixed:
            if path.startswith(prefix):
                rest = path[len(prefix) :]
                # `{job_id}` is one non-empty segment; anything else is FastAPI's to answer.
                if handler is _sync_job and (not rest or "/" in rest):
                    return None
                return handler, route, rest
        return None


def _path_symbol(text: str) -> Symbol:
    try:
        return Symbol.parse(text)
    except InvalidSymbol as exc:
        raise invalid("path.symbol", str(exc)) from None


async def _bars(scope: Scope, _rest: str) -> Response:
    params = validated_query(BarsQuery, scope)
    return await bars.forward_bars(
        resources_of(scope).query,
        params,
        scope["query_string"].decode(),
        correlation_id=str(scope[CORRELATION_SCOPE_KEY]),
        traceparent=traceparent_of(scope),
        accept=_header(scope, b"accept"),
        if_none_match=_header(scope, b"if-none-match"),
    )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


async def _sync_job(scope: Scope, rest: str) -> Response:
    job_id = validated_job_id(rest)
    resources = resources_of(scope)
    return await sync.forward_sync_job(
        resources.query,
        resources.pending_jobs,
        job_id,
        scope["query_string"].decode(),
        correlation_id=str(scope[CORRELATION_SCOPE_KEY]),
        traceparent=traceparent_of(scope),
    )


def _forwarded_read(scope: Scope) -> ForwardedRead:
    return ForwardedRead(
        scope["query_string"].decode(), str(scope[CORRELATION_SCOPE_KEY]), traceparent_of(scope)
    )


async def _symbols(scope: Scope, _rest: str) -> Response:
    return await symbols.forward_symbols(resources_of(scope).query, _forwarded_read(scope))


async def _symbol(scope: Scope, rest: str) -> Response:
    symbol = _path_symbol(rest)
    return await symbols.forward_symbol(resources_of(scope).query, symbol, _forwarded_read(scope))


async def _quote(scope: Scope, rest: str) -> Response:
    symbol = _path_symbol(rest)
    return await quotes.forward_quote(resources_of(scope).query, symbol, _forwarded_read(scope))
