"""A sampler that records spans only while something receives them.

Recording a span with the SDK costs tens of microseconds (bench/bench_telemetry.py); a
dropped one a few, and it still gets real ids: the SDK makes them before it samples. So
with no exporter configured, every span is dropped and yet every event carries a
`traceparent` and every log line a `trace_id`. The per-request server span skips even
the SDK's few microseconds while everything is dropped (dropped_spans.py). Once an
exporter is attached (OTLP, console, the tests' in-memory one), the configured sampler
(OTEL_TRACES_SAMPLER, parent-based always-on by default) decides.
"""

from __future__ import annotations

from collections.abc import Sequence

from opentelemetry.context import Context
from opentelemetry.sdk.trace.sampling import Decision, Sampler, SamplingResult
from opentelemetry.trace import Link, SpanKind
from opentelemetry.trace.span import TraceState
from opentelemetry.util.types import Attributes


class RecordWhenExported(Sampler):
    def __init__(self, configured: Sampler, *, exporting: bool) -> None:
        self.configured = configured
        self.exporting = exporting  # set once a span processor is attached

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: TraceState | None = None,
    ) -> SamplingResult:
        if not self.exporting:
            return SamplingResult(Decision.DROP)
        return self.configured.should_sample(
            parent_context, trace_id, name, kind, attributes, links, trace_state
        )

    def get_description(self) -> str:
        return f"RecordWhenExported({self.configured.get_description()})"
