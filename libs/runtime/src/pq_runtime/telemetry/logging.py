"""structlog configuration: every line carries service, correlation_id and trace_id.

JSON lines in production (`PQ_LOG_JSON=true`), a readable console otherwise; credentials
are masked on every line (redaction.py) and tracebacks show no local variables. Lines of
the standard library's `logging` (uvicorn, nats-py, aiohttp...) go through the same
processors and renderer, so they carry the same fields.
"""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import MutableMapping
from contextvars import ContextVar
from typing import Any, TextIO, cast

import structlog
from opentelemetry import trace
from structlog.typing import Processor

from .context import current_correlation_id
from .redaction import redact_credentials

_HANDLER_NAME = "pq-structlog"


# Set while _add_trace_ids asks for the current span's ids: should that ask log a line
# (an OpenTelemetry warning), the line is written without ids instead of asking again.
_in_trace_ids: ContextVar[bool] = ContextVar("pq_log_in_trace_ids", default=False)


def _add_trace_ids(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    # Always present (null outside a request or trace), so every line has the same keys.
    if _in_trace_ids.get():  # re-entered from inside get_span_context(): no recursion
        event.setdefault("trace_id", None)
        event.setdefault("correlation_id", current_correlation_id())
        return event
    token = _in_trace_ids.set(True)
    try:
        ctx = trace.get_current_span().get_span_context()
    finally:
        _in_trace_ids.reset(token)
    event.setdefault("trace_id", format(ctx.trace_id, "032x") if ctx.is_valid else None)
    if ctx.is_valid:
        event.setdefault("span_id", format(ctx.span_id, "016x"))
    event.setdefault("correlation_id", current_correlation_id())
    return event


def _service_adder(service: str | None) -> Processor:
    def add_service(
        _logger: Any, _method: str, event: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        event.setdefault("service", service)
        return event

    return add_service


def configure_logging(
    level: str = "INFO", *, json: bool = True, service: str | None = None
) -> None:
    """Configure structlog and the root logger, in a composition root (never at import
    time). Calling it again replaces the previous configuration."""
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        _service_adder(service),
        _add_trace_ids,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    # Tracebacks as plain text, never with their frames' local variables (rich's default
    # shows them, API keys included); format_exc_info runs before the redaction.
    renderer: Processor = (
        structlog.processors.JSONRenderer()
        if json
        else structlog.dev.ConsoleRenderer(exception_formatter=structlog.dev.plain_traceback)
    )
    last: list[Processor] = [structlog.processors.format_exc_info, redact_credentials]
    numeric_level = logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
    structlog.configure(
        processors=[*shared, *last, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(numeric_level),
        logger_factory=structlog.PrintLoggerFactory(file=_STDERR),
        cache_logger_on_first_use=False,
    )
    _route_stdlib_logging(shared, [*last, renderer], numeric_level)


class _LiveStderr(io.TextIOBase):
    """Whatever `sys.stderr` is at each write. A test's capture replaces it and later
    closes its stream: a logger holding that stream would fail on every later line."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


_STDERR = cast(TextIO, _LiveStderr())


def _route_stdlib_logging(shared: list[Processor], final: list[Processor], level: int) -> None:
    handler = logging.StreamHandler(_STDERR)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[structlog.stdlib.add_logger_name, *shared],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *final],
        )
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
