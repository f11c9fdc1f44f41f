"""A long `traceparent` and the log processor: no recursion, no stall, no 500.

A header over W3C's 512 characters made OpenTelemetry's propagator log a warning; that
warning's log line asked for the current span's ids, which parsed the same header
again, and so on until RecursionError (a 500, and ~13 s of console rendering).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import structlog
from opentelemetry import trace

from pq_runtime.telemetry import configure_logging
from pq_runtime.telemetry import context as telemetry_context
from pq_runtime.telemetry.context import MAX_TRACEPARENT_LENGTH, traceparent_ids

LONG = "00-" + "a" * 600


@pytest.fixture
def console_logging() -> Iterator[None]:
    configure_logging("INFO", json=False, service="security-test")
    yield
    configure_logging("INFO", json=True, service=None)


def test_an_oversized_traceparent_is_ignored_before_any_opentelemetry_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_otel_call(*_args: object, **_kwargs: object) -> object:
        raise AssertionError("the propagator was asked about an oversized header")

    monkeypatch.setattr(telemetry_context._propagator, "extract", no_otel_call)
    assert traceparent_ids(LONG) is None
    assert traceparent_ids("00-" + "b" * (MAX_TRACEPARENT_LENGTH + 1)) is None


def test_a_log_line_written_while_asking_for_span_ids_does_not_ask_again(
    console_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    asked = 0

    class WarningSpan(trace.NonRecordingSpan):
        """Like a span whose context parsing logs (as OpenTelemetry's propagator does)."""

        def get_span_context(self) -> trace.SpanContext:
            nonlocal asked
            asked += 1
            logging.getLogger("opentelemetry.propagator").warning("header too long")
            return trace.INVALID_SPAN_CONTEXT

    with trace.use_span(WarningSpan(trace.INVALID_SPAN_CONTEXT)):
        structlog.get_logger("security").info("a request's line")
    assert asked == 1
    err = capsys.readouterr().err
    assert "a request's line" in err
    assert "header too long" in err
