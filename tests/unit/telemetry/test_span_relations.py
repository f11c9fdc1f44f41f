"""consume_span, publish_span and the relay's OutboxPublishSpans: who is whose parent."""

from __future__ import annotations

from dataclasses import dataclass

from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from pq_runtime.telemetry import (
    OutboxPublishSpans,
    consume_span,
    correlation_scope,
    current_traceparent,
    publish_span,
    store_span,
)

tracer = trace.get_tracer("tests")


@dataclass(frozen=True)
class Env:
    subject: str
    traceparent: str | None
    correlation_id: str | None = "c-1"

    def headers(self) -> dict[str, str]:
        return {"traceparent": self.traceparent} if self.traceparent else {}


def _traceparent_in_new_trace() -> str:
    with tracer.start_as_current_span("producer"):
        tp = current_traceparent()
    assert tp is not None
    return tp


def test_publish_span_is_a_child_and_names_itself_in_the_header(
    span_exporter: InMemorySpanExporter,
) -> None:
    with (
        tracer.start_as_current_span("request") as request,
        correlation_scope("c-9"),
        publish_span("pq.cmd.sync") as sent,
    ):
        pass
    publish = next(s for s in span_exporter.get_finished_spans() if s.name == "publish pq.cmd.sync")
    assert publish.kind == trace.SpanKind.PRODUCER
    assert publish.parent is not None
    assert publish.parent.span_id == request.get_span_context().span_id
    assert sent is not None
    assert sent.split("-")[2] == format(publish.context.span_id, "016x")
    assert publish.attributes is not None
    assert publish.attributes["correlation_id"] == "c-9"


def test_a_batch_of_one_trace_is_a_child_and_links_the_others(
    span_exporter: InMemorySpanExporter,
) -> None:
    with tracer.start_as_current_span("commit"):
        first = current_traceparent()
        with tracer.start_as_current_span("other publish"):
            second = current_traceparent()
    assert first
    assert second
    with consume_span("consume x", [Env("a", first), Env("a", second), Env("a", first)]):
        pass
    consume = next(s for s in span_exporter.get_finished_spans() if s.name == "consume x")
    assert consume.parent is not None
    assert format(consume.parent.span_id, "016x") == first.split("-")[2]
    assert [format(link.context.span_id, "016x") for link in consume.links] == [
        second.split("-")[2]
    ]


def test_a_batch_mixing_traces_starts_its_own_and_links_each(
    span_exporter: InMemorySpanExporter,
) -> None:
    one, two = _traceparent_in_new_trace(), _traceparent_in_new_trace()
    with consume_span("consume y", [Env("a", one), Env("a", two)]):
        pass
    consume = next(s for s in span_exporter.get_finished_spans() if s.name == "consume y")
    assert consume.parent is None
    assert len(consume.links) == 2


def test_relay_opens_one_span_per_stored_context_and_rewrites_headers(
    span_exporter: InMemorySpanExporter,
) -> None:
    stored = _traceparent_in_new_trace()
    with store_span("sync.complete"):
        other = current_traceparent()
    assert other is not None
    rows = [Env("s.1", stored), Env("s.2", stored), Env("s.3", None), Env("s.4", other)]
    spans = OutboxPublishSpans(rows)
    spans.end([True, True, True, False])

    relay = [s for s in span_exporter.get_finished_spans() if s.name == "outbox publish"]
    assert len(relay) == 2
    by_parent = {format(s.parent.span_id, "016x"): s for s in relay if s.parent is not None}
    stored_span = by_parent[stored.split("-")[2]]
    assert stored_span.kind == trace.SpanKind.PRODUCER
    assert stored_span.attributes is not None
    assert stored_span.attributes["messaging.batch.message_count"] == 2
    sent = format(stored_span.context.span_id, "016x")
    assert [h.get("traceparent", "").split("-")[2:3] for h in spans.headers[:2]] == [[sent]] * 2
    assert spans.headers[2] == {}  # no stored context: published as it is, without a span
    assert not by_parent[other.split("-")[2]].status.is_ok  # its row was not acked
