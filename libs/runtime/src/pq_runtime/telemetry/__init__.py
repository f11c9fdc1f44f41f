"""Trace and correlation propagation, spans, structured logging, Prometheus metrics."""

from .context import (
    CANONICAL_TRACEPARENT,
    context_from_traceparent,
    correlation_scope,
    current_correlation_id,
    current_traceparent,
    new_correlation_id,
)
from .http_server import ServerTelemetryMiddleware
from .logging import configure_logging
from .metrics import RuntimeMetrics, http_request_latency
from .outbox_spans import OutboxPublishSpans
from .provider import configure_tracing, flush_tracing, install_in_memory_exporter, shutdown_tracing
from .tracing import consume_span, publish_span, store_span

__all__ = [
    "CANONICAL_TRACEPARENT",
    "OutboxPublishSpans",
    "RuntimeMetrics",
    "ServerTelemetryMiddleware",
    "configure_logging",
    "configure_tracing",
    "consume_span",
    "context_from_traceparent",
    "correlation_scope",
    "current_correlation_id",
    "current_traceparent",
    "flush_tracing",
    "http_request_latency",
    "install_in_memory_exporter",
    "new_correlation_id",
    "publish_span",
    "shutdown_tracing",
    "store_span",
]
