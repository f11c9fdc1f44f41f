"""The W3C trace context helpers agree with the SDK's propagator, which they shortcut."""

from __future__ import annotations

import pytest
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from pq_runtime.telemetry import context_from_traceparent, current_traceparent
from pq_runtime.telemetry.context import traceparent_ids

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
SPAN = "00f067aa0ba902b7"
propagator = TraceContextTextMapPropagator()

HEADERS = [
    f"00-{TRACE}-{SPAN}-01",
    f"00-{TRACE}-{SPAN}-00",
    f"00-{TRACE}-{SPAN}-03",  # sampled, random trace id (W3C level 2)
    f"00-{TRACE.upper()}-{SPAN}-01",  # upper-case hex is not allowed
    f"00-{'0' * 32}-{SPAN}-01",  # all-zero ids are invalid
    f"00-{TRACE}-{'0' * 16}-01",
    f"ff-{TRACE}-{SPAN}-01",  # version ff is invalid
    f"00-{TRACE}-{SPAN}-01-extra",  # version 00 has exactly four fields
    f"01-{TRACE}-{SPAN}-01-extra",  # a later version may have more
    f" 00-{TRACE}-{SPAN}-01",  # the propagator allows surrounding blanks
    f"00-{TRACE}-{SPAN}-01 ",
    f"00-{TRACE[:-1]}_-{SPAN}-01",  # int() would take an underscore
    f"00-{TRACE}-{SPAN}-1",
    "00-garbage",
    "",
]


def _propagators_ids(header: str) -> tuple[int, int, int] | None:
    extracted = propagator.extract({"traceparent": header}, context=otel_context.Context())
    ctx = trace.get_current_span(extracted).get_span_context()
    return (ctx.trace_id, ctx.span_id, ctx.trace_flags) if ctx.is_valid else None


@pytest.mark.parametrize("header", HEADERS)
def test_traceparent_ids_agree_with_the_propagator(header: str) -> None:
    assert traceparent_ids(header) == _propagators_ids(header)


@pytest.mark.parametrize("header", HEADERS)
def test_context_from_traceparent_has_the_propagators_parent(header: str) -> None:
    ours = trace.get_current_span(context_from_traceparent(header)).get_span_context()
    extracted = propagator.extract({"traceparent": header}, context=otel_context.Context())
    assert ours == trace.get_current_span(extracted).get_span_context()


def test_current_traceparent_is_what_the_propagator_injects(
    span_exporter: InMemorySpanExporter,
) -> None:
    assert current_traceparent() is None
    tracer = trace.get_tracer("tests")
    parent = trace.NonRecordingSpan(
        trace.SpanContext(int(TRACE, 16), int(SPAN, 16), is_remote=True)  # not sampled
    )
    for span in (tracer.start_span("recorded"), parent):
        with trace.use_span(span, end_on_exit=True):
            carrier: dict[str, str] = {}
            propagator.inject(carrier)
            assert current_traceparent() == carrier["traceparent"]
