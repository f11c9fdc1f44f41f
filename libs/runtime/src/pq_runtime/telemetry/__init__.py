"""Trace and correlation propagation, structured logging, Prometheus metrics."""

from .context import (
    context_from_traceparent,
    correlation_scope,
    current_correlation_id,
    current_traceparent,
    new_correlation_id,
)
from .logging import configure_logging
from .metrics import RuntimeMetrics

__all__ = [
    "RuntimeMetrics",
    "configure_logging",
    "context_from_traceparent",
    "correlation_scope",
    "current_correlation_id",
    "current_traceparent",
    "new_correlation_id",
]
