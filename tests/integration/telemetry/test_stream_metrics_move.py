"""The live path's /metrics: ingest-stream and the bar-builder, each built with its own
`create_app(settings)` and served on a free port, expose the documented series
(docs/operations.md) from the start, and they move when quotes flow."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from pq_bar_builder.main import create_app as create_bar_builder
from pq_bar_builder.settings import BarBuilderSettings
from pq_ingest_stream.main import create_app as create_ingest_stream
from pq_ingest_stream.settings import IngestStreamSettings
from pq_launcher.servers import NatsServer
from pq_runtime.messaging import connect_nats
from pq_tvsim import Simulator, SimulatorConfig
from tests.integration.bar_builder.quotes import publish_quotes, quote_stream, symbols
from tests.integration.ingest_stream.probes import Watchlist
from tests.integration.telemetry.scrape import Scrape, scrape
from tests.integration.telemetry.span_graph import SpanGraph
from tests.support.serving import serving
from tests.support.waiting import wait_for

LATENCY = "pq_http_request_duration_seconds_count"
PARTITIONED = "PQ_QUOTES_PARTITIONED"
PARTITIONS = 4
WATCHED = ("NASDAQ:AAPL", "BINANCE:BTCUSDT")


async def _until(url: str, what: str, check: Callable[[Scrape], bool]) -> Scrape:
    async def moved() -> Scrape | None:
        now = await scrape(url)
        return now if check(now) else None

    found = await wait_for(moved, timeout=20, what=what)
    assert found is not None
    return found


@pytest.fixture
async def bar_builder_url(tmp_path: Path, own_nats_server: NatsServer) -> AsyncIterator[str]:
    settings = BarBuilderSettings(
        nats_url=own_nats_server.url,
        data_dir=tmp_path,
        partition_count=PARTITIONS,
        partitions=tuple(range(PARTITIONS)),
        idle_timeout_ms=3_600_000,  # the quotes are from 2024: only the watermark closes bars
        live_bars_enabled=False,
    )
    async with serving(create_bar_builder(settings)) as url:
        yield url


async def test_bar_builder_metrics_move(
    bar_builder_url: str, own_nats_server: NatsServer, span_exporter: InMemorySpanExporter
) -> None:
    before = await scrape(bar_builder_url)
    for p in range(PARTITIONS):
        consumer = f"bar-builder-p{p}"
        for series in ("pq_consumer_lag", "pq_consumer_processed_total", "pq_dlq_total"):
            assert before.has(series, stream=PARTITIONED, consumer=consumer), (series, p)
    for series in ("pq_outbox_pending", "pq_outbox_oldest_age_seconds"):
        assert before.has(series), series
    assert before.has("pq_outbox_published_total")

    quotes = quote_stream(symbols(6), per_symbol=150)  # 150 s per symbol: minute bars close
    nc = await connect_nats(own_nats_server.url, name="metrics-test")
    try:
        js = nc.jetstream()
        await publish_quotes(js, quotes)
        await js.publish("pq.quotes.NASDAQ.S00", b"not an envelope")  # poison: DLQ at once
    finally:
        await nc.close()

    def moved(now: Scrape) -> bool:
        return (
            now.value("pq_bar_builder_quotes_total") == len(quotes)
            and now.value("pq_dlq_total", stream=PARTITIONED) == 1
            and now.value("pq_outbox_published_total") > 0
        )

    after = await _until(bar_builder_url, "the bar-builder's counters", moved)
    assert after.value("pq_consumer_processed_total", stream=PARTITIONED) == len(quotes)
    assert after.value("pq_bar_builder_poison_total") == 1
    assert after.value("pq_bar_builder_bars_total", kind="completed") > 0
    assert after.value("pq_consumer_lag", stream=PARTITIONED) == 0
    assert after.value(LATENCY, route="/metrics", method="GET", status="200") >= 1

    # BarCompleted rows continue the batch's trace: consume -> store bars.commit -> publish.
    graph = SpanGraph(span_exporter.get_finished_spans())
    commits = graph.named("store bars.commit", kind=SpanKind.CLIENT)
    assert commits
    for commit in commits:
        parent = graph.parent_of(commit)
        assert parent is not None
        assert parent.name.startswith("consume bar-builder-p")
        assert parent.kind == SpanKind.CONSUMER
    publishes = graph.named("outbox publish", kind=SpanKind.PRODUCER)
    assert publishes
    assert any(
        (up := graph.parent_of(p)) is not None and up.name == "store bars.commit" for p in publishes
    )
    assert not [s for s in graph.spans if "quote" in s.name.lower()]  # nothing per quote


@pytest.fixture
async def stream_simulator() -> AsyncIterator[Simulator]:
    start_ms = int(datetime(2025, 3, 5, 15, 0, tzinfo=UTC).timestamp() * 1000)  # a Wednesday
    config = SimulatorConfig(port=0, seed=7, start_ms=start_ms, speed=30.0)
    async with Simulator(config) as sim:
        yield sim


@pytest.fixture
async def ingest_stream_url(
    own_nats_server: NatsServer, stream_simulator: Simulator
) -> AsyncIterator[str]:
    settings = IngestStreamSettings(
        nats_url=own_nats_server.url,
        tradingview_url=stream_simulator.url,
        shard_id="solo",
        heartbeat_s=0.25,
        gap_settle_s=0.5,
        session_poll_s=0.05,
        initial_backfill_s=3600,  # a new symbol is backfilled: SyncRequested commands
    )
    async with serving(create_ingest_stream(settings)) as url:
        yield url


async def test_ingest_stream_metrics_move(
    ingest_stream_url: str, own_nats_server: NatsServer, span_exporter: InMemorySpanExporter
) -> None:
    before = await scrape(ingest_stream_url)
    for series in (
        "pq_stream_quotes_published_total",
        "pq_stream_reconnects_total",
        "pq_stream_connected",
        "pq_stream_backfill_commands_total",
        "pq_stream_symbols_owned",
    ):
        assert before.has(series), series
    assert not before.has("pq_stream_reconnects")  # a counter now, not a gauge

    nc = await connect_nats(own_nats_server.url, name="metrics-test")
    try:
        watchlist = await Watchlist.open(nc.jetstream())
        await watchlist.add(*WATCHED)

        def moved(now: Scrape) -> bool:
            return (
                now.value("pq_stream_quotes_published_total") > 0
                and now.value("pq_stream_backfill_commands_total") > 0
                and now.value("pq_stream_symbols_owned") == len(WATCHED)
            )

        after = await _until(ingest_stream_url, "ingest-stream's counters", moved)
    finally:
        await nc.close()
    assert after.value("pq_stream_connected") == 1
    assert after.value("pq_stream_reconnects_total") == 0
    assert after.value(LATENCY, route="/metrics", method="GET", status="200") >= 1

    # Each backfill command is a PRODUCER span carrying its job id; no span per quote.
    graph = SpanGraph(span_exporter.get_finished_spans())
    commands = graph.named("publish pq.cmd.sync", kind=SpanKind.PRODUCER)
    assert commands
    assert all(
        s.attributes is not None and str(s.attributes.get("correlation_id", "")).startswith("gap-")
        for s in commands
    )
    assert not graph.named("publish pq.quotes")
