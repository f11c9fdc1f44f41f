"""A tiny real HTTP server standing in for the query service until it lands.

It records every request it gets and answers with canned responses by path.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send


@dataclass
class RecordedRequest:
    method: str
    raw_path: bytes
    query: bytes
    headers: dict[str, str]


@dataclass
class QueryPeer:
    responses: dict[str, tuple[int, bytes, str]] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        self.requests.append(
            RecordedRequest(
                method=request.method,
                raw_path=scope.get("raw_path") or scope["path"].encode(),
                query=scope["query_string"],
                headers=dict(request.headers),
            )
        )
        status, body, content_type = self.responses.get(
            scope["path"], (404, b'{"detail":"not here"}', "application/json")
        )
        await Response(body, status_code=status, media_type=content_type)(scope, receive, send)
