"""Finished spans as a graph: by name, by trace, and each span's parent and links."""

from __future__ import annotations

from collections.abc import Sequence

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind


class SpanGraph:
    def __init__(self, spans: Sequence[ReadableSpan]) -> None:
        self.spans = list(spans)
        self._by_id = {s.context.span_id: s for s in self.spans if s.context is not None}

    def named(self, name: str, *, kind: SpanKind | None = None) -> list[ReadableSpan]:
        return [s for s in self.spans if s.name == name and (kind is None or s.kind == kind)]

    def one(self, name: str, *, kind: SpanKind | None = None) -> ReadableSpan:
        found = self.named(name, kind=kind)
        assert len(found) == 1, f"{len(found)} spans named {name!r}: {self.names()}"
        return found[0]

    def in_trace(self, trace_id: int) -> list[ReadableSpan]:
        return [s for s in self.spans if s.context is not None and s.context.trace_id == trace_id]

    def names(self) -> list[str]:
        return sorted({s.name for s in self.spans})

    def parent_of(self, span: ReadableSpan) -> ReadableSpan | None:
        return self._by_id.get(span.parent.span_id) if span.parent is not None else None

    def upstream_of(self, span: ReadableSpan) -> list[ReadableSpan]:
        """The spans this one continues: its parent and the spans it links to."""
        ids = [link.context.span_id for link in span.links]
        if span.parent is not None:
            ids.insert(0, span.parent.span_id)
        return [self._by_id[i] for i in ids if i in self._by_id]


def trace_id_of(span: ReadableSpan) -> int:
    assert span.context is not None
    trace_id: int = span.context.trace_id
    return trace_id


def span_id_of(span: ReadableSpan) -> int:
    assert span.context is not None
    span_id: int = span.context.span_id
    return span_id
