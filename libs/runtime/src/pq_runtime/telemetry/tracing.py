"""Spans the runtime and the services share: consume (CONSUMER), publish (PRODUCER) and
store (CLIENT). See docs/operations.md, "Traces in Jaeger", for the whole span model."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.util.types import AttributeValue

from .context import (
    context_from_traceparent,
    correlation_scope,
    current_correlation_id,
    current_traceparent,
)

_tracer = trace.get_tracer("pq_runtime")
_MAX_LINKS = 128
CORRELATION_ATTRIBUTE = "correlation_id"  # what Jaeger is searched by (operations.md)


class Traced(Protocol):
    @property
    def traceparent(self) -> str | None: ...

    @property
    def correlation_id(self) -> str | None: ...


@contextmanager
def consume_span(name: str, envelopes: Sequence[Traced]) -> Iterator[None]:
    """A CONSUMER span for a batch, current inside the block, with the batch's correlation
    id bound when it has one.

    When every message comes from one trace (a lone message, or the chunks of one sync),
    the span is the child of the first producer span and linked to the others, so one
    user request stays one trace. A batch mixing traces belongs to none of them: it is
    linked to each producer span instead.
    """
    parent, links = _parent_and_links([e.traceparent for e in envelopes if e.traceparent])
    ids = {e.correlation_id for e in envelopes}
    correlation_id = ids.pop() if len(ids) == 1 else None
    attributes: dict[str, AttributeValue] = {
        "messaging.system": "nats",
        "messaging.operation.type": "process",
        "messaging.batch.message_count": len(envelopes),
    }
    if correlation_id:
        attributes[CORRELATION_ATTRIBUTE] = correlation_id
    with (
        _tracer.start_as_current_span(
            name, context=parent, kind=trace.SpanKind.CONSUMER, links=links, attributes=attributes
        ),
        correlation_scope(correlation_id),
    ):
        yield


@contextmanager
def publish_span(subject: str) -> Iterator[str | None]:
    """A PRODUCER span around one publish, a child of the current span. Yields the
    traceparent to send in the message's headers: this span's, so the consumer's span
    becomes its child."""
    attributes: dict[str, AttributeValue] = {
        "messaging.system": "nats",
        "messaging.operation.type": "send",
        "messaging.destination.name": subject,
    }
    correlation_id = current_correlation_id()
    if correlation_id:
        attributes[CORRELATION_ATTRIBUTE] = correlation_id
    with _tracer.start_as_current_span(
        f"publish {subject}", kind=trace.SpanKind.PRODUCER, attributes=attributes
    ):
        yield current_traceparent()


@contextmanager
def store_span(operation: str, *, system: str | None = None) -> Iterator[None]:
    """A CLIENT span around one unit of work (its reads, writes and commit). Outbox rows
    appended inside it store this span's context: the relay's publish continues from it."""
    attributes: dict[str, AttributeValue] = {"db.operation.name": operation}
    if system:
        attributes["db.system.name"] = system
    with _tracer.start_as_current_span(
        f"store {operation}", kind=trace.SpanKind.CLIENT, attributes=attributes
    ):
        yield


def _parent_and_links(
    traceparents: Sequence[str],
) -> tuple[otel_context.Context | None, list[trace.Link]]:
    contexts: list[trace.SpanContext] = []
    seen: set[tuple[int, int]] = set()
    for tp in traceparents:
        ctx = trace.get_current_span(context_from_traceparent(tp)).get_span_context()
        if ctx.is_valid and (ctx.trace_id, ctx.span_id) not in seen:
            seen.add((ctx.trace_id, ctx.span_id))
            contexts.append(ctx)
        if len(contexts) > _MAX_LINKS:
            break
    if not contexts:
        return None, []
    if len({c.trace_id for c in contexts}) == 1:
        parent = trace.set_span_in_context(trace.NonRecordingSpan(contexts[0]))
        return parent, [trace.Link(c) for c in contexts[1:]]
    return None, [trace.Link(c) for c in contexts[:_MAX_LINKS]]
