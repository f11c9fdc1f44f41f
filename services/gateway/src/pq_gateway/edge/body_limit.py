"""413 for request bodies over PQ_MAX_BODY_BYTES, decided before anything parses them.

A declared Content-Length is refused up front; a chunked body is counted while it is
buffered (at most the limit is ever held), then replayed to the app in one message.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..api.problems import Problem, problem_response
from .http_middleware import HttpMiddleware


class BodyLimitMiddleware(HttpMiddleware):
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        super().__init__(app)
        self.max_body_bytes = max_body_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            await self._refuse(scope, receive, send)
            return
        body = bytearray()
        more_body = True
        while more_body:
            message = await receive()
            if message["type"] != "http.request":  # client went away before the body
                await self.app(scope, _replay([message], receive), send)
                return
            body.extend(message.get("body", b""))
            more_body = message.get("more_body", False)
            if len(body) > self.max_body_bytes:
                await self._refuse(scope, receive, send)
                return
        first: Message = {"type": "http.request", "body": bytes(body), "more_body": False}
        await self.app(scope, _replay([first], receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        problem = Problem(
            title="Content Too Large",
            status=413,
            detail=f"request body exceeds {self.max_body_bytes} bytes",
            instance=scope.get("path"),
        )
        await problem_response(problem, {"Connection": "close"})(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for key, value in scope["headers"]:
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # malformed: let the server or the counting below deal with it
    return None


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """Hand out the buffered messages, then defer to the server (for http.disconnect)."""
    pending = list(messages)

    async def replaying_receive() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replaying_receive
