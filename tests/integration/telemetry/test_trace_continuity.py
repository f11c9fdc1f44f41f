"""One trace from the gateway's request through ingest-history to the query projection,
across NATS and the outbox (issue 8, Done when); and the caller's trace kept while
nothing exports."""

from __future__ import annotations

import json

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from tests.integration.telemetry.conftest import PipelineUrls
from tests.integration.telemetry.span_graph import SpanGraph, span_id_of, trace_id_of
from tests.integration.telemetry.sync_request import sync_through_gateway
from tests.support.waiting import wait_for

CORRELATION_ID = "trace-continuity-1"


async def _graph_once_projected(exporter: InMemorySpanExporter) -> SpanGraph:
    async def projected() -> SpanGraph | None:
        graph = SpanGraph(exporter.get_finished_spans())
        request = graph.named("POST /v1/sync", kind=SpanKind.SERVER)
        if not request:
            return None
        in_trace = {s.name for s in graph.in_trace(trace_id_of(request[0]))}

        return graph if {"consume query-bars", "consume query-jobs"} <= in_trace else None

    graph = await wait_for(projected, timeout=20, what="the query projections' spans")
    assert graph is not None
    return graph


async def test_one_trace_covers_gateway_ingest_history_and_query(
    pipeline: PipelineUrls, span_exporter: InMemorySpanExporter
) -> None:
    await sync_through_gateway(pipeline.gateway, CORRELATION_ID)
    graph = await _graph_once_projected(span_exporter)

    request = graph.one("POST /v1/sync", kind=SpanKind.SERVER)
    trace_id = trace_id_of(request)
    assert request.attributes is not None
    assert request.attributes["correlation_id"] == CORRELATION_ID
    assert request.attributes["http.route"] == "/v1/sync"

    # gateway: the request's span is the parent of both publishes (PRODUCER).
    command = graph.one("publish pq.cmd.sync", kind=SpanKind.PRODUCER)
    accepted = graph.one("publish pq.jobs.sync", kind=SpanKind.PRODUCER)
    assert graph.parent_of(command) is request
    assert graph.parent_of(accepted) is request

    # ingest-history: consume (CONSUMER) <- the command's publish; fetch and commit inside.
    consume = graph.one("consume ingest-history-sync", kind=SpanKind.CONSUMER)
    assert graph.parent_of(consume) is command
    fetch = graph.one("tradingview fetch_history", kind=SpanKind.CLIENT)
    assert graph.parent_of(fetch) is consume
    commit = graph.one("store sync.complete", kind=SpanKind.CLIENT)
    assert graph.parent_of(commit) is consume

    # the outbox hop: the relay's publish continues the commit's stored context.
    relayed = [s for s in graph.named("outbox publish") if graph.parent_of(s) is commit]
    assert relayed, "no relay publish span under the commit"
    assert all(s.kind == SpanKind.PRODUCER for s in relayed)

    # query: the bars projection's consume continues a relay publish of that commit, and
    # the jobs projection's consume continues the gateway's SyncJobAccepted.
    projections = [s for s in graph.named("consume query-bars") if trace_id_of(s) == trace_id]
    assert projections
    assert all(set(graph.upstream_of(s)) & set(relayed) for s in projections)
    jobs = graph.in_trace(trace_id)
    assert any(s.name == "consume query-jobs" and accepted in graph.upstream_of(s) for s in jobs)

    # one trace id for all of it
    for span in (command, consume, fetch, commit, *relayed, *projections):
        assert trace_id_of(span) == trace_id, span.name
    assert span_id_of(request) != span_id_of(command)


async def test_the_callers_trace_continues_while_nothing_exports(
    capsys: pytest.CaptureFixture[str],  # first: the services' loggers write to its stderr
    pipeline: PipelineUrls,
    span_exporter: InMemorySpanExporter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No exporter (production's default): spans are dropped, yet the gateway's request
    and ingest-history's consume of the command it published keep the caller's trace."""
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    monkeypatch.setattr(provider.sampler, "exporting", False)
    caller_trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    traceparent = f"00-{caller_trace_id}-00f067aa0ba902b7-01"

    await sync_through_gateway(pipeline.gateway, "no-exporter-1", traceparent=traceparent)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line[:1] == "{"]

    requested = next(entry for entry in lines if entry["event"] == "sync requested")
    done = next(entry for entry in lines if entry["event"] == "sync.done")
    assert requested["trace_id"] == caller_trace_id  # the gateway's request
    assert done["trace_id"] == caller_trace_id  # ingest-history, across NATS
    assert requested["span_id"] != done["span_id"]
    assert span_exporter.get_finished_spans() == ()
