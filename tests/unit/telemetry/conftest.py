"""Spans of the code under test, captured by an in-memory exporter on the global provider."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from pq_runtime.telemetry import install_in_memory_exporter


@pytest.fixture(scope="session")
def session_span_exporter() -> InMemorySpanExporter:
    return install_in_memory_exporter()


@pytest.fixture
def span_exporter(session_span_exporter: InMemorySpanExporter) -> Iterator[InMemorySpanExporter]:
    session_span_exporter.clear()
    yield session_span_exporter
    session_span_exporter.clear()
