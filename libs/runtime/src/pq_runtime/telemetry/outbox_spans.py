"""PRODUCER spans for the outbox relay: the hop where a trace crosses the outbox.

A row stores the trace context current when it was appended (the producer's unit of
work), and is published later, from the relay's task. For each stored context in a
batch the relay opens one PRODUCER span, the child of that context, and sends the span's
own traceparent in the rows' headers: the consumer's span becomes its child, and the
trace runs producer's commit -> relay publish -> consumer. One span per stored context,
not per row: a commit of a thousand bars is one publish in the trace, and costs one span.
Rows stored without a context are published as they are, without a span.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from opentelemetry import trace
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from opentelemetry.util.types import AttributeValue

from .context import context_from_traceparent
from .tracing import CORRELATION_ATTRIBUTE

_tracer = trace.get_tracer("pq_runtime.relay")
_TRACEPARENT = "traceparent"
_propagator = TraceContextTextMapPropagator()


class Publishable(Protocol):
    @property
    def subject(self) -> str: ...

    @property
    def traceparent(self) -> str | None: ...

    @property
    def correlation_id(self) -> str | None: ...

    def headers(self) -> dict[str, str]: ...


class OutboxPublishSpans:
    """Start with the batch's envelopes; `headers[i]` goes with row i; `end` once settled."""

    def __init__(self, envelopes: Sequence[Publishable]) -> None:
        self._groups: dict[str, list[int]] = {}
        for i, env in enumerate(envelopes):
            if env.traceparent:
                self._groups.setdefault(env.traceparent, []).append(i)
        self._spans = {
            tp: self._start(tp, [envelopes[i] for i in rows]) for tp, rows in self._groups.items()
        }
        sent = {tp: _traceparent_of(span) for tp, span in self._spans.items()}
        self.headers = [
            _with_traceparent(env.headers(), sent.get(env.traceparent or "")) for env in envelopes
        ]

    def end(self, published: Sequence[bool]) -> None:
        """`published[i]`: row i was acked (missing entries count as failed)."""
        for tp, span in self._spans.items():
            failed = sum(1 for i in self._groups[tp] if i >= len(published) or not published[i])
            if failed:
                span.set_status(trace.StatusCode.ERROR, f"{failed} rows not acked")
            span.end()

    def _start(self, traceparent: str, envelopes: Sequence[Publishable]) -> trace.Span:
        subjects = {e.subject for e in envelopes}
        attributes: dict[str, AttributeValue] = {
            "messaging.system": "nats",
            "messaging.operation.type": "send",
            "messaging.batch.message_count": len(envelopes),
        }
        if len(subjects) == 1:
            attributes["messaging.destination.name"] = subjects.pop()
        correlation_ids = {e.correlation_id for e in envelopes}
        if len(correlation_ids) == 1 and (cid := correlation_ids.pop()):
            attributes[CORRELATION_ATTRIBUTE] = cid
        return _tracer.start_span(
            "outbox publish",
            context=context_from_traceparent(traceparent),
            kind=trace.SpanKind.PRODUCER,
            attributes=attributes,
        )


def _traceparent_of(span: trace.Span) -> str:
    carrier: dict[str, str] = {}
    _propagator.inject(carrier, context=trace.set_span_in_context(span))
    return carrier[_TRACEPARENT]


def _with_traceparent(headers: dict[str, str], traceparent: str | None) -> dict[str, str]:
    if traceparent:
        headers[_TRACEPARENT] = traceparent
    return headers
