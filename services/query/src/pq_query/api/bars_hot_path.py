"""GET /v1/bars without FastAPI's request machinery: the read the gateway makes most.

A cache hit should cost little more than the Redis lookup and sending the bytes, where
the declared route (routers/bars.py) adds routing, a dependency run in a worker
thread, pydantic validation of eight parameters and two exception layers. This ASGI
middleware, inside the telemetry one, answers the requests whose parameters certainly
pass the declared types (`plain_params`) with the same code as the route (`bar_query`,
`serve_page`) and the same responses, errors included; every other request (a
parameter pydantic would refuse, another method or path) goes on to the route.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from pq_domain.problem_types import PROBLEM_MEDIA_TYPE
from pq_runtime.http.conditional import REVALIDATE_EACH_TIME
from pq_runtime.http.media_types import BarsMediaType, negotiate_bars

from ..resources import QueryResources
from .bar_pages import serve_page
from .bar_params import bar_query, plain_params
from .encoding import coverage_header
from .problems import ProblemError, problem_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PATH = "/v1/bars"
_JSON = b"application/json"
_PROBLEM = PROBLEM_MEDIA_TYPE.encode()
_COVERAGE = b"pq-coverage"
_ETAG = b"etag"
_CACHE_CONTROL = (b"cache-control", REVALIDATE_EACH_TIME.encode())


class BarsHotPath:
    def __init__(self, app: ASGIApp, *, route: object) -> None:
        self.app = app
        self._route = route  # what the telemetry labels the request with, as for the route

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["path"] != PATH
            or scope["method"] != "GET"
            or scope.get("root_path")
            or (params := plain_params(scope["query_string"])) is None
            or (headers := _json_request_headers(scope)) is None
        ):
            await self.app(scope, receive, send)
            return
        scope["route"] = self._route
        resources: QueryResources = scope["app"].state.resources
        try:
            q = bar_query(*params)
        except ProblemError as exc:
            await _respond(send, exc.problem.status, _PROBLEM, problem_body(exc.problem, PATH))
            return
        answer = await serve_page(resources, q, headers.get(b"if-none-match"))
        validators = [] if answer.etag is None else [(_ETAG, answer.etag.encode()), _CACHE_CONTROL]
        if answer.body is None:
            await send({"type": "http.response.start", "status": 304, "headers": validators})
            await send({"type": "http.response.body", "body": b""})
            return
        coverage = coverage_header(answer.body)
        if coverage is not None:
            validators.append((_COVERAGE, coverage.encode()))
        await _respond(send, 200, _JSON, answer.body, validators)
        if answer.cache_write is not None:
            await answer.cache_write()


def _json_request_headers(scope: Scope) -> dict[bytes, str] | None:
    """The headers this path reads, when the request wants JSON (no Accept header, or
    one that chooses JSON); None sends exports and 406s to the route."""
    found: dict[bytes, str] = {}
    for name, value in scope["headers"]:
        if name == b"accept":
            if negotiate_bars(value.decode("latin-1")) is not BarsMediaType.JSON:
                return None
        elif name == b"if-none-match":
            found[name] = value.decode("latin-1")
    return found


async def _respond(
    send: Send,
    status: int,
    media_type: bytes,
    body: bytes,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> None:
    # The headers a Starlette Response sends, in its order.
    headers = [(b"content-length", str(len(body)).encode()), (b"content-type", media_type)]
    headers.extend(extra or ())
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
