"""The catch-all: an unexpected exception becomes a 500 problem, never a stack trace.

It sits inside the correlation middleware so the 500 still carries X-Correlation-ID
(Starlette's own ServerErrorMiddleware is outermost and would bypass it).
"""

from __future__ import annotations

import structlog
from starlette.types import Message, Receive, Scope, Send

from pq_domain.problem_types import INTERNAL_TYPE

from ..api.problems import Problem, problem_response
from .http_middleware import HttpMiddleware

log = structlog.get_logger("pq_gateway.errors")


class UnhandledErrorMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled error", path=scope.get("path"), method=scope.get("method"))
            if started:
                raise  # too late for a clean answer; the server closes the connection
            problem = Problem(
                type=INTERNAL_TYPE,
                title="Internal Server Error",
                status=500,
                detail="An unexpected error occurred; quote the X-Correlation-ID to report it.",
                instance=scope.get("path"),
            )
            await problem_response(problem)(scope, receive, send)
