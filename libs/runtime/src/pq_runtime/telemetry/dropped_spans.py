"""The span the SDK would return for a dropped span, made without going through the SDK.

While nothing exports, RecordWhenExported drops every span (sampling.py), yet the SDK's
`start_span` still resolves the parent from a context, asks the sampler, builds a
SamplingResult and reports to its own metrics: most of a request's telemetry cost on the
query's cache-hit path (bench/bench_telemetry.py). `dropped_span` skips all of it and
gives the same result: a non-recording span with the provider's fresh ids, in the
caller's trace, so published events still carry a `traceparent` and log lines a
`trace_id`.
"""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider

from .context import traceparent_ids
from .sampling import RecordWhenExported

# The flags the SDK gives a dropped span: not sampled, plus W3C level 2's "random trace
# id" bit when the id generator (or the parent) says the trace id is random.
_NOT_SAMPLED = trace.TraceFlags(trace.TraceFlags.DEFAULT)
_NOT_SAMPLED_RANDOM = trace.TraceFlags(trace.TraceFlags.RANDOM_TRACE_ID)


def dropped_span(traceparent: str | None) -> trace.NonRecordingSpan | None:
    """A child of the caller's `traceparent` (a new trace's root when it is absent or
    malformed) that nothing records, when the installed provider drops every span; None
    otherwise: the caller then starts its span through the SDK, which samples and
    records it as configured."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        return None  # OTEL_SDK_DISABLED or not configured: the API's own no-op spans
    sampler = provider.sampler
    if not isinstance(sampler, RecordWhenExported) or sampler.exporting:
        return None
    ids = provider.id_generator
    # Drawn now, not when first asked for: two threads asking at once get equal contexts.
    root = (ids.generate_trace_id(), ids.is_trace_id_random())
    return _DroppedSpan(traceparent, ids.generate_span_id(), root)


class _DroppedSpan(trace.NonRecordingSpan):
    """Its context is built when first asked for (a log line, a publish, a child span).
    On a cache hit nobody asks, and parsing the caller's header and building the context
    would cost more than the rest of the request's telemetry."""

    def __init__(self, traceparent: str | None, span_id: int, root: tuple[int, bool]) -> None:
        # NonRecordingSpan's own __init__ would want the context now.
        self._traceparent = traceparent
        self._span_id = span_id
        self._root = root
        self._built: trace.SpanContext | None = None

    def get_span_context(self) -> trace.SpanContext:
        if self._built is None:
            self._built = self._build()
        return self._built

    def _build(self) -> trace.SpanContext:
        parent = traceparent_ids(self._traceparent)
        if parent is None:
            trace_id, random = self._root
        else:
            trace_id, _, flags = parent
            random = bool(flags & trace.TraceFlags.RANDOM_TRACE_ID)
        return trace.SpanContext(
            trace_id,
            self._span_id,
            is_remote=False,
            trace_flags=_NOT_SAMPLED_RANDOM if random else _NOT_SAMPLED,
        )

    def __repr__(self) -> str:
        return f"_DroppedSpan({self.get_span_context()!r})"
