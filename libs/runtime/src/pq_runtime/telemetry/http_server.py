"""Pure-ASGI middleware: a SERVER span per HTTP request and its latency, in one wrapper.

Pure ASGI because the gateway runs on a tight overhead budget (bench/bench_gateway.py):
one send wrapper and one clock read serve both the span and the histogram, where
BaseHTTPMiddleware or opentelemetry-instrumentation-asgi (a span per send event, header
capture) would each add their own. The span is current for the whole request, so the
NATS publishes and the store calls a request makes are its children.

While nothing exports (no exporter configured), the span is made without the SDK and the
caller's `traceparent` is parsed only if something asks for the span's ids: what is
left per request is about a pass-through that observes the histogram
(bench/bench_telemetry.py).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from prometheus_client import Histogram

from .context import (
    MAX_TRACEPARENT_LENGTH,
    TraceIds,
    correlation_scope,
    current_correlation_id,
    remote_span_context,
    traceparent_ids,
)
from .dropped_spans import dropped_span
from .tracing import CORRELATION_ATTRIBUTE

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_tracer = trace.get_tracer("pq_runtime.http")
_TRACEPARENT = b"traceparent"
_CORRELATION_ID = b"x-correlation-id"


class ResponseStatus:
    """Passes a response's messages on to `send` and keeps its status (500 until the
    response starts: an app that fails before answering is a server error)."""

    __slots__ = ("_send", "code")

    def __init__(self, send: Send) -> None:
        self._send = send
        self.code = 500

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.code = message["status"]
        await self._send(message)


class ServerTelemetryMiddleware:
    """`latency`: a histogram labelled (route, method, status), route = the template.

    `continue_traces`: a well-formed `traceparent` from the caller makes the server span
    its child (W3C Trace Context); otherwise each request starts a trace.
    `adopt_correlation_id`: make the caller's `X-Correlation-ID` current, for internal
    services behind the gateway (the gateway validates and mints ids in its own middleware).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        latency: Histogram | None = None,
        continue_traces: bool = True,
        adopt_correlation_id: bool = False,
    ) -> None:
        self.app = app
        self.latency = latency
        self.continue_traces = continue_traces
        self.adopt_correlation_id = adopt_correlation_id
        self._latency_by_labels: dict[tuple[str, str, int], Histogram] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        method: str = scope["method"]
        traceparent, correlation_id = _incoming(scope)
        if not self.adopt_correlation_id:
            correlation_id = None
        if not self.continue_traces:
            traceparent = None
        # While nothing records (no exporter), the SDK is skipped: only the ids are needed.
        span: trace.Span | None = dropped_span(traceparent)
        if span is None:
            span = _start_span(scope, method, traceparent_ids(traceparent), correlation_id)
        status = ResponseStatus(send)
        token = otel_context.attach(trace.set_span_in_context(span))
        try:
            if correlation_id is None:
                await self.app(scope, receive, status.send)
            else:
                with correlation_scope(correlation_id):
                    await self.app(scope, receive, status.send)
        except BaseException as exc:
            span.record_exception(exc)
            raise
        finally:
            otel_context.detach(token)
            self._finish(span, scope, method, status.code, started)

    def _finish(
        self, span: trace.Span, scope: Scope, method: str, status: int, started: float
    ) -> None:
        template = getattr(scope.get("route"), "path", None) or "unmatched"
        if span.is_recording():
            span.update_name(f"{method} {template}")
            span.set_attribute("http.route", template)
            span.set_attribute("http.response.status_code", status)
            if status >= 500:
                span.set_status(trace.StatusCode.ERROR)
        span.end()
        if self.latency is not None:
            elapsed = time.perf_counter() - started
            # One child per (route, method, status), as many as the histogram holds itself:
            # `labels()` would validate and join its label values again on every request.
            key = (template, method, status)
            child = self._latency_by_labels.get(key)
            if child is None:
                child = self.latency.labels(template, method, str(status))
                self._latency_by_labels[key] = child
            child.observe(elapsed)


def _start_span(
    scope: Scope, method: str, parent: TraceIds | None, correlation_id: str | None
) -> trace.Span:
    """The SERVER span through the SDK: recorded, or dropped, as the sampler decides."""
    attributes = {"http.request.method": method, "url.path": scope["path"]}
    if known_id := correlation_id or current_correlation_id():
        attributes[CORRELATION_ATTRIBUTE] = known_id
    # The caller's span or none: never a span of the server's own that happens to be current.
    context = otel_context.Context()
    if parent is not None:
        remote = trace.NonRecordingSpan(remote_span_context(parent))
        context = trace.set_span_in_context(remote, context)
    return _tracer.start_span(
        method,  # renamed to "<method> <route template>" once routing has found it
        context=context,
        kind=trace.SpanKind.SERVER,
        attributes=attributes,
    )


def _incoming(scope: Scope) -> tuple[str | None, str | None]:
    traceparent = correlation_id = None
    for name, value in scope["headers"]:
        if name == _TRACEPARENT:
            # Over W3C's limit: ignored (a new trace), before any OpenTelemetry call.
            if len(value) <= MAX_TRACEPARENT_LENGTH:
                traceparent = value.decode("latin-1")
        elif name == _CORRELATION_ID:
            correlation_id = value.decode("latin-1")[:128]
    return traceparent, correlation_id
