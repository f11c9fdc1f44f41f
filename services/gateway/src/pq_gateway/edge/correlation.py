"""X-Correlation-ID: accept a well-formed one, otherwise mint one; echo it on every response.

The id is made current with pq_runtime's `correlation_scope`, so every log line of the
request and every NATS header the request publishes carry it.
"""

from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from pq_runtime.envelope import CORRELATION_ID
from pq_runtime.telemetry import correlation_scope, new_correlation_id

from .http_middleware import HttpMiddleware

MAX_CORRELATION_ID_LENGTH = 128
_WELL_FORMED = re.compile(rf"[A-Za-z0-9._:-]{{1,{MAX_CORRELATION_ID_LENGTH}}}")
_HEADER_BYTES = CORRELATION_ID.lower().encode("latin-1")
SCOPE_KEY = "pq.correlation_id"


def accepted_correlation_id(raw: bytes | None) -> str:
    """The client's id when well-formed (so it can be logged and put in headers safely)."""
    if raw is not None:
        text = raw.decode("latin-1")
        if _WELL_FORMED.fullmatch(text):
            return text
    return new_correlation_id()


class CorrelationIdMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = next((v for k, v in scope["headers"] if k == _HEADER_BYTES), None)
        correlation_id = accepted_correlation_id(raw)
        scope[SCOPE_KEY] = correlation_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[CORRELATION_ID] = correlation_id
            await send(message)

        with correlation_scope(correlation_id):
            await self.app(scope, receive, send_with_id)
