"""The fast path of the cheapest forwarded reads, in pure ASGI (the innermost middleware).

`GET /v1/symbols`, `GET /v1/symbols/{symbol}` and `GET /v1/quotes/{symbol}` validate
nothing but the path symbol and pass the query service's answer through, yet FastAPI's
routing, dependency resolution and request/response objects cost more CPU than the rest
of the gateway together (bench/bench_gateway.py, issue 7). Here they are answered
directly, after the same middleware (correlation id, telemetry, auth, rate limit) and with
the same problems; their FastAPI routes stay declared (and answer HEAD), so the OpenAPI
document is still generated from them. `scope["route"]` is set to the route so metrics and
spans carry its template as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from pq_domain import InvalidSymbol, Symbol
from pq_runtime.telemetry import current_traceparent

from ..problems import ProblemError, invalid, response_for
from ..resources import resources_of
from ..routers import quotes, symbols
from .correlation import SCOPE_KEY as CORRELATION_SCOPE_KEY

_TRACEPARENT = re.compile(r"00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")
_SYMBOLS = "/v1/symbols"
_SYMBOL_PREFIX = "/v1/symbols/"
_QUOTE_PREFIX = "/v1/quotes/"


class ForwardedReadsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # The APIRoute objects FastAPI itself puts in `scope["route"]` for these endpoints.
        self._routes: dict[object, BaseRoute] = {
            getattr(route, "endpoint", None): route
            for route in (*symbols.router.routes, *quotes.router.routes)
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path == _SYMBOLS:
            endpoint: Callable[..., object] = symbols.list_symbols
            symbol_text = None
        elif path.startswith(_SYMBOL_PREFIX):
            endpoint, symbol_text = symbols.get_symbol, path[len(_SYMBOL_PREFIX) :]
        elif path.startswith(_QUOTE_PREFIX):
            endpoint, symbol_text = quotes.get_quote, path[len(_QUOTE_PREFIX) :]
        else:
            await self.app(scope, receive, send)
            return
        scope["route"] = self._routes[endpoint]
        try:
            await self._forward(scope, receive, send, endpoint, symbol_text)
        except ProblemError as problem:
            await response_for(problem, path)(scope, receive, send)

    async def _forward(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        endpoint: Callable[..., object],
        symbol_text: str | None,
    ) -> None:
        if symbol_text is None:
            upstream_path, not_found = _SYMBOLS, "no symbols"
        else:
            try:
                symbol = Symbol.parse(symbol_text)
            except InvalidSymbol as exc:
                raise invalid("path.symbol", str(exc)) from None
            escaped = quote(str(symbol), safe="")
            if endpoint is quotes.get_quote:
                upstream_path = f"/v1/quotes/{escaped}"
                not_found = f"no quote for {symbol} yet"
            else:
                upstream_path = f"/v1/symbols/{escaped}"
                not_found = f"symbol {symbol} is not tracked"
        response = await resources_of(scope).query.get(
            upstream_path,
            scope["query_string"].decode(),
            correlation_id=str(scope[CORRELATION_SCOPE_KEY]),
            traceparent=_traceparent(scope),
            not_found_detail=not_found,
        )
        await response(scope, receive, send)


def _traceparent(scope: Scope) -> str | None:
    """As deps._traceparent: our span's, else the caller's first one when well-formed."""
    ours = current_traceparent()
    if ours:
        return ours
    for name, value in scope["headers"]:
        if name == b"traceparent":
            text = value.decode("latin-1")
            return text if _TRACEPARENT.fullmatch(text) else None
    return None
