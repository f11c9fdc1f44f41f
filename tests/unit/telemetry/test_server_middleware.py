"""ServerTelemetryMiddleware: one SERVER span per request, named by the route template,
current inside the request, and the latency histogram observed; while nothing exports,
the request still has its ids in the caller's trace."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI, HTTPException
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import CollectorRegistry

from pq_runtime.telemetry import (
    ServerTelemetryMiddleware,
    current_correlation_id,
    current_traceparent,
    http_request_latency,
)

CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def _app(registry: CollectorRegistry, **options: bool) -> FastAPI:
    app = FastAPI(telemetry={"tracing": False, "metrics": False, "logs": False})

    @app.get("/items/{item_id}")
    async def item(item_id: str) -> dict[str, str | None]:
        if item_id == "missing":
            raise HTTPException(404)
        return {"traceparent": current_traceparent(), "correlation_id": current_correlation_id()}

    app.add_middleware(ServerTelemetryMiddleware, latency=http_request_latency(registry), **options)
    return app


async def test_span_named_by_template_continues_the_caller_and_is_current(
    span_exporter: InMemorySpanExporter,
) -> None:
    registry = CollectorRegistry()
    transport = httpx.ASGITransport(app=_app(registry, adopt_correlation_id=True))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        answer = await http.get(
            "/items/42", headers={"traceparent": CALLER, "X-Correlation-ID": "c-1"}
        )
    (span,) = span_exporter.get_finished_spans()
    assert span.name == "GET /items/{item_id}"
    assert span.kind == trace.SpanKind.SERVER
    assert span.parent is not None
    assert format(span.parent.span_id, "016x") == "00f067aa0ba902b7"
    assert answer.json()["traceparent"].split("-")[2] == format(span.context.span_id, "016x")
    assert answer.json()["correlation_id"] == "c-1"
    labels = {"route": "/items/{item_id}", "method": "GET", "status": "200"}
    assert registry.get_sample_value("pq_http_request_duration_seconds_count", labels) == 1


async def test_without_continue_traces_each_request_starts_a_trace(
    span_exporter: InMemorySpanExporter,
) -> None:
    transport = httpx.ASGITransport(app=_app(CollectorRegistry(), continue_traces=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        answer = await http.get("/nothing-here", headers={"traceparent": CALLER})
    (span,) = span_exporter.get_finished_spans()
    assert answer.status_code == 404
    assert span.parent is None
    assert span.name == "GET unmatched"


async def _get(app: FastAPI, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        return await http.get(path, headers=headers)


async def test_while_nothing_exports_the_request_still_continues_the_callers_trace(
    dropping_span_exporter: InMemorySpanExporter,
) -> None:
    registry = CollectorRegistry()
    app = _app(registry, adopt_correlation_id=True)
    answer = await _get(app, "/items/42", {"traceparent": CALLER, "X-Correlation-ID": "c-2"})
    # what an event published during the request carries
    version, trace_id, span_id, flags = answer.json()["traceparent"].split("-")
    _, caller_trace_id, caller_span_id, _ = CALLER.split("-")
    assert (version, trace_id, flags) == ("00", caller_trace_id, "00")  # "00": not sampled
    assert span_id not in (caller_span_id, "0" * 16)
    assert answer.json()["correlation_id"] == "c-2"
    assert dropping_span_exporter.get_finished_spans() == ()
    labels = {"route": "/items/{item_id}", "method": "GET", "status": "200"}
    assert registry.get_sample_value("pq_http_request_duration_seconds_count", labels) == 1


async def test_spans_are_recorded_as_soon_as_something_exports(
    dropping_span_exporter: InMemorySpanExporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _app(CollectorRegistry())
    await _get(app, "/items/1")
    assert dropping_span_exporter.get_finished_spans() == ()
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    monkeypatch.setattr(provider.sampler, "exporting", True)
    await _get(app, "/items/2")
    (span,) = dropping_span_exporter.get_finished_spans()
    assert span.name == "GET /items/{item_id}"


async def test_one_latency_series_per_route_method_and_status(
    span_exporter: InMemorySpanExporter,
) -> None:
    registry = CollectorRegistry()
    app = _app(registry)
    for path in ("/items/1", "/items/2", "/items/missing", "/nothing-here"):
        await _get(app, path)

    def count(route: str, status: str) -> float | None:
        labels = {"route": route, "method": "GET", "status": status}
        return registry.get_sample_value("pq_http_request_duration_seconds_count", labels)

    assert count("/items/{item_id}", "200") == 2
    assert count("/items/{item_id}", "404") == 1
    assert count("unmatched", "404") == 1
