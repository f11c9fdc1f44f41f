"""While nothing exports, spans skip the SDK but keep the ids the SDK would give them."""

from __future__ import annotations

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from pq_runtime.telemetry import context_from_traceparent
from pq_runtime.telemetry.dropped_spans import dropped_span

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLERS = [
    f"00-{TRACE}-00f067aa0ba902b7-01",
    f"00-{TRACE}-00f067aa0ba902b7-00",
    f"00-{TRACE}-00f067aa0ba902b7-03",  # the caller's trace id is random (W3C level 2)
]
tracer = trace.get_tracer("tests")


def _sdk_dropped(traceparent: str | None) -> trace.SpanContext:
    span = tracer.start_span("sdk", context=context_from_traceparent(traceparent))
    assert not span.is_recording()
    return span.get_span_context()


@pytest.mark.parametrize("caller", CALLERS)
def test_a_child_of_the_caller_has_the_context_the_sdk_gives(
    dropping_span_exporter: InMemorySpanExporter, caller: str
) -> None:
    span = dropped_span(caller)
    assert span is not None
    assert not span.is_recording()
    ours, sdk = span.get_span_context(), _sdk_dropped(caller)
    assert ours.is_valid
    assert (ours.trace_id, ours.trace_flags, ours.is_remote, ours.trace_state) == (
        sdk.trace_id,
        sdk.trace_flags,
        sdk.is_remote,
        sdk.trace_state,
    )
    assert ours.span_id not in (sdk.span_id, int(caller.split("-")[2], 16))


@pytest.mark.parametrize("caller", [None, "", f"00-{TRACE}-{'0' * 16}-01", "garbage"])
def test_without_a_valid_caller_each_span_starts_a_trace(
    dropping_span_exporter: InMemorySpanExporter, caller: str | None
) -> None:
    first, second = dropped_span(caller), dropped_span(caller)
    assert first is not None
    assert second is not None
    ours, sdk = first.get_span_context(), _sdk_dropped(caller)
    assert ours.is_valid
    assert ours.trace_flags == sdk.trace_flags
    assert ours.trace_id not in (int(TRACE, 16), second.get_span_context().trace_id)


def test_its_context_is_the_same_every_time_it_is_asked(
    dropping_span_exporter: InMemorySpanExporter,
) -> None:
    span = dropped_span(None)  # a new trace: ids drawn at random, once
    assert span is not None
    assert span.get_span_context() == span.get_span_context()


def test_sdk_children_join_the_callers_trace(
    dropping_span_exporter: InMemorySpanExporter,
) -> None:
    span = dropped_span(CALLERS[0])
    assert span is not None
    with trace.use_span(span), tracer.start_as_current_span("publish") as child:
        assert child.get_span_context().trace_id == int(TRACE, 16)
    assert dropping_span_exporter.get_finished_spans() == ()


def test_spans_go_through_the_sdk_once_something_exports(
    span_exporter: InMemorySpanExporter,
) -> None:
    assert dropped_span(CALLERS[0]) is None  # the SDK records it, as the sampler says
