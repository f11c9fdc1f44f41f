"""Each service's /metrics exposes its series, and they move when work happens."""

from __future__ import annotations

from collections.abc import Callable

from nats.aio.client import Client

from pq_runtime.messaging import connect_nats
from tests.integration.telemetry.conftest import PipelineUrls
from tests.integration.telemetry.scrape import Scrape, scrape
from tests.integration.telemetry.sync_request import sync_through_gateway
from tests.support.waiting import wait_for

SYNC_BARS = 30
LATENCY = "pq_http_request_duration_seconds_count"


async def _poison(nats_url: str, subject: str) -> None:
    """A message no consumer can decode: it goes to the DLQ at once."""
    nc: Client = await connect_nats(nats_url, name="metrics-test")
    try:
        await nc.jetstream().publish(subject, b"not an envelope")
    finally:
        await nc.close()


async def _until(url: str, ready: str, check: Callable[[Scrape], bool]) -> Scrape:
    async def moved() -> Scrape | None:
        now = await scrape(url)
        return now if check(now) else None

    found = await wait_for(moved, timeout=15, what=ready)
    assert found is not None
    return found


async def test_gateway_metrics_move(pipeline: PipelineUrls) -> None:
    before = await scrape(pipeline.gateway)
    await sync_through_gateway(pipeline.gateway, "metrics-gateway", bars=SYNC_BARS)
    after = await scrape(pipeline.gateway)

    latency = "pq_gateway_request_duration_seconds_count"
    labels = {"route": "/v1/sync", "method": "POST", "status": "202"}
    assert after.value(latency, **labels) == before.value(latency, **labels) + 1
    assert after.value(latency, route="/v1/sync/{job_id}", status="200") >= 1


async def test_ingest_history_metrics_move(
    pipeline: PipelineUrls, nats_url_of_pipeline: str
) -> None:
    before = await scrape(pipeline.ingest_history)
    for series in ("pq_consumer_lag", "pq_dlq_total", "pq_outbox_pending"):
        assert before.has(series), series
    assert before.has("pq_outbox_oldest_age_seconds")

    await sync_through_gateway(pipeline.gateway, "metrics-ingest", bars=SYNC_BARS)
    await _poison(nats_url_of_pipeline, "pq.cmd.sync")

    def moved(now: Scrape) -> bool:
        return now.value("pq_dlq_total", stream="PQ_CMD") == 1 and now.value(
            "pq_outbox_published_total"
        ) > before.value("pq_outbox_published_total")

    after = await _until(pipeline.ingest_history, "ingest-history's counters", moved)
    assert after.value("pq_sync_jobs_total", outcome="done") == 1
    assert after.value("pq_sync_bars_total") == SYNC_BARS
    assert after.value("pq_consumer_processed_total", consumer="ingest-history-sync") == 1
    assert after.value(LATENCY, route="/metrics", status="200") >= 1  # the first scrape


async def test_query_metrics_move(pipeline: PipelineUrls, nats_url_of_pipeline: str) -> None:
    before = await scrape(pipeline.query)
    for consumer in ("query-bars", "query-jobs", "query-quotes"):
        assert before.has("pq_consumer_lag", consumer=consumer), consumer
        assert before.has("pq_dlq_total", consumer=consumer), consumer

    await sync_through_gateway(pipeline.gateway, "metrics-query", bars=SYNC_BARS)
    await _poison(nats_url_of_pipeline, "pq.bars.synced.NASDAQ.AAPL.1d")

    def moved(now: Scrape) -> bool:
        return (
            now.value("pq_query_bars_upserted_total") >= SYNC_BARS
            and now.value("pq_dlq_total", consumer="query-bars") == 1
        )

    after = await _until(pipeline.query, "query's counters", moved)
    assert after.value("pq_consumer_processed_total", consumer="query-bars") >= 1
    assert after.value("pq_consumer_processed_total", consumer="query-jobs") >= 2
    # the gateway forwarded GET /v1/sync/{job_id} while waiting for the job
    assert after.value(LATENCY, route="/v1/sync/{job_id}", method="GET", status="200") >= 1
