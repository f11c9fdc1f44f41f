"""Spans around consumed batches, linked to (or children of) the producers' spans."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

from opentelemetry import trace

from .context import context_from_traceparent, correlation_scope

_tracer = trace.get_tracer("pq_runtime.consumer")
_MAX_LINKS = 128


class Traced(Protocol):
    @property
    def traceparent(self) -> str | None: ...

    @property
    def correlation_id(self) -> str | None: ...


@contextmanager
def consume_span(name: str, envelopes: Sequence[Traced]) -> Iterator[None]:
    """A CONSUMER span for a batch: the child of a lone message's producer span, or linked
    to each message's producer span; the batch's correlation id is bound when it has one."""
    parents = [e.traceparent for e in envelopes if e.traceparent]
    parent = context_from_traceparent(parents[0]) if len(envelopes) == 1 and parents else None
    links = [
        trace.Link(trace.get_current_span(context_from_traceparent(tp)).get_span_context())
        for tp in parents[:_MAX_LINKS]
    ]
    ids = {e.correlation_id for e in envelopes}
    correlation_id = ids.pop() if len(ids) == 1 else None
    with (
        _tracer.start_as_current_span(
            name,
            context=parent,
            kind=trace.SpanKind.CONSUMER,
            links=None if parent is not None else links,
            attributes={"messaging.system": "nats", "messaging.batch.size": len(envelopes)},
        ),
        correlation_scope(correlation_id),
    ):
        yield
