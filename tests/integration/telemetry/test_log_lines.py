"""Log lines carry service, correlation_id and trace_id (JSON, as in production)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from tests.integration.telemetry.conftest import PipelineUrls
from tests.integration.telemetry.span_graph import SpanGraph, trace_id_of
from tests.integration.telemetry.sync_request import sync_through_gateway

CORRELATION_ID = "log-lines-1"


def _json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


async def test_a_request_log_line_names_service_correlation_and_trace(
    capsys: pytest.CaptureFixture[str],  # first: the services' loggers write to its stderr
    pipeline: PipelineUrls,
    span_exporter: InMemorySpanExporter,
) -> None:
    await sync_through_gateway(pipeline.gateway, CORRELATION_ID)
    lines = _json_lines(capsys.readouterr().err)

    # "sync requested" is logged by the gateway while it handles POST /v1/sync. In this
    # process the last service configured names every line; a deployed process is one.
    line = next(entry for entry in lines if entry["event"] == "sync requested")
    request = SpanGraph(span_exporter.get_finished_spans()).one(
        "POST /v1/sync", kind=SpanKind.SERVER
    )
    assert line["service"] == "gateway"
    assert line["correlation_id"] == CORRELATION_ID
    assert line["trace_id"] == format(trace_id_of(request), "032x")
    assert all({"service", "correlation_id", "trace_id"} <= entry.keys() for entry in lines)
