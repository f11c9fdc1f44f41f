"""Correlation id and W3C trace context: taken from the current context at outbox append
time, carried in headers, restored in the consumer."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar, Token

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

TraceIds = tuple[int, int, int]  # trace id, span id, trace flags: all a parent needs

_correlation_id: ContextVar[str | None] = ContextVar("pq_correlation_id", default=None)
_propagator = TraceContextTextMapPropagator()
# The only form we send and the only one in practice: version 00, lower-case hex, no
# padding. Anything else goes to the SDK's propagator, which knows the whole grammar.
CANONICAL_TRACEPARENT = re.compile(r"00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})")
# W3C Trace Context's limit. Longer headers are ignored here, before any OpenTelemetry
# call: the SDK's propagator logs a warning for them, and that warning's own log line
# asks for the current span's ids, which would parse the same header again (recursion).
MAX_TRACEPARENT_LENGTH = 512


def new_correlation_id() -> str:
    return uuid.uuid4().hex


def current_correlation_id() -> str | None:
    return _correlation_id.get()


class correlation_scope:  # noqa: N801 - used as a function: `with correlation_scope(id):`
    """Make `correlation_id` current inside the block (log lines get it from
    configure_logging's processor, so nothing is bound in structlog's own contextvars:
    this runs on every request and every consumed batch, and a ContextVar is ~10x cheaper)."""

    __slots__ = ("_correlation_id", "_token")

    def __init__(self, correlation_id: str | None) -> None:
        self._correlation_id = correlation_id
        self._token: Token[str | None] | None = None

    def __enter__(self) -> str | None:
        self._token = _correlation_id.set(self._correlation_id)
        return self._correlation_id

    def __exit__(self, *_exc: object) -> None:
        if self._token is not None:
            _correlation_id.reset(self._token)


def current_traceparent() -> str | None:
    """The `traceparent` header of the current span (recorded or not), or None outside any.

    Formatted here rather than by the propagator's `inject` (a carrier dict and a getter
    per call): the gateway asks for it on every forwarded read, the outbox on every row."""
    ctx = trace.get_current_span().get_span_context()
    if not ctx.is_valid:
        return None
    return f"00-{ctx.trace_id:032x}-{ctx.span_id:016x}-{ctx.trace_flags:02x}"


def traceparent_ids(traceparent: str | None) -> TraceIds | None:
    """(trace id, parent span id, trace flags) of a `traceparent` header; None when absent
    or malformed (W3C Trace Context: then the receiver starts a trace of its own)."""
    if not traceparent or len(traceparent) > MAX_TRACEPARENT_LENGTH:
        return None
    if match := CANONICAL_TRACEPARENT.fullmatch(traceparent):
        trace_id, span_id, flags = match.groups()
        ids = (int(trace_id, 16), int(span_id, 16), int(flags, 16))
        return ids if ids[0] and ids[1] else None  # all-zero ids are invalid
    extracted = _propagator.extract({"traceparent": traceparent}, context=otel_context.Context())
    ctx = trace.get_current_span(extracted).get_span_context()
    return (ctx.trace_id, ctx.span_id, ctx.trace_flags) if ctx.is_valid else None


def remote_span_context(ids: TraceIds) -> trace.SpanContext:
    trace_id, span_id, flags = ids
    return trace.SpanContext(trace_id, span_id, is_remote=True, trace_flags=trace.TraceFlags(flags))


def context_from_traceparent(traceparent: str | None) -> otel_context.Context:
    """An OpenTelemetry context whose parent is the remote span of `traceparent`."""
    ids = traceparent_ids(traceparent)
    if ids is None:
        return otel_context.Context()
    span = trace.NonRecordingSpan(remote_span_context(ids))
    return trace.set_span_in_context(span, otel_context.Context())
