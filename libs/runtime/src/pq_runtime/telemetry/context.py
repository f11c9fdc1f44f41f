"""Correlation id and W3C trace context: taken from the current context at outbox append
time, carried in headers, restored in the consumer."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import structlog
from opentelemetry import context as otel_context
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_correlation_id: ContextVar[str | None] = ContextVar("pq_correlation_id", default=None)
_propagator = TraceContextTextMapPropagator()


def new_correlation_id() -> str:
    return uuid.uuid4().hex


def current_correlation_id() -> str | None:
    return _correlation_id.get()


@contextmanager
def correlation_scope(correlation_id: str | None) -> Iterator[str | None]:
    """Make `correlation_id` current (and visible in structlog lines) inside the block."""
    token = _correlation_id.set(correlation_id)
    with structlog.contextvars.bound_contextvars(correlation_id=correlation_id):
        try:
            yield correlation_id
        finally:
            _correlation_id.reset(token)


def current_traceparent() -> str | None:
    """The `traceparent` header of the current span, or None outside a recording span."""
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get("traceparent")


def context_from_traceparent(traceparent: str | None) -> otel_context.Context:
    """An OpenTelemetry context whose parent is the remote span of `traceparent`."""
    if not traceparent:
        return otel_context.Context()
    return _propagator.extract({"traceparent": traceparent}, context=otel_context.Context())
