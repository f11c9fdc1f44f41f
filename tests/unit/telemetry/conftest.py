"""Spans of the code under test, captured by an in-memory exporter on the global provider."""

from __future__ import annotations

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from pq_runtime.telemetry.sampling import RecordWhenExported


@pytest.fixture
def dropping_span_exporter(
    span_exporter: InMemorySpanExporter, monkeypatch: pytest.MonkeyPatch
) -> InMemorySpanExporter:
    """The session's exporter while the sampler drops every span, as it does in a service
    with no exporter configured: nothing should reach it."""
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    assert isinstance(provider.sampler, RecordWhenExported)
    monkeypatch.setattr(provider.sampler, "exporting", False)
    return span_exporter
