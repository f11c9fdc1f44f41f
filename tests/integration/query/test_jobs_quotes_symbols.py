"""Sync job states, latest quotes, symbol metadata, health and metrics."""

from __future__ import annotations

from pq_domain import Interval
from pq_domain.events import (
    BarSynced,
    QuoteReceived,
    SyncJobAccepted,
    SyncJobCompleted,
    SyncJobFailed,
    SyncJobProgressed,
    SyncJobStarted,
)
from pq_domain.subjects import SYNC_JOB_EVENTS, bars_synced_subject, quotes_subject
from tests.support.waiting import wait_for

from .conftest import RunningQuery
from .events import T0, hourly_bars, publish, publish_meta, publish_sync, unique_symbol


async def test_job_states_follow_their_events_and_never_go_back(
    query_service: RunningQuery,
) -> None:
    js, symbol = query_service.js, unique_symbol()
    # Started arrives before Accepted (two producers); Completed before its bars.
    await publish(js, SyncJobStarted("job-a", at=T0 + 1), SYNC_JOB_EVENTS)
    await publish(js, SyncJobAccepted("job-a", symbol, Interval.H1, at=T0), SYNC_JOB_EVENTS)
    await query_service.projected("query-jobs", "PQ_JOBS")
    assert await query_service.get_json("/v1/sync/job-a") == {
        "job_id": "job-a", "status": "running", "symbol": str(symbol), "interval": "1h",
        "bars": None, "error": None,
        "progress": {"bars_fetched": 0, "bars_written": 0, "expected": None},
        "created_at": "2024-01-01T00:00:00Z", "started_at": "2024-01-01T00:00:00.001Z",
        "finished_at": None,
    }  # fmt: skip
    progressed = SyncJobProgressed("job-a", 1200, 2500, at=T0 + 2, round=1)
    await publish(js, progressed, SYNC_JOB_EVENTS)
    await query_service.projected("query-jobs", "PQ_JOBS")
    job = await query_service.get_json("/v1/sync/job-a")
    assert job["progress"] == {"bars_fetched": 1200, "bars_written": 0, "expected": 2500}

    await publish(js, SyncJobCompleted("job-a", bars=2500, at=T0 + 2), SYNC_JOB_EVENTS)
    await query_service.projected("query-jobs", "PQ_JOBS")
    # Done, but its bars are not in the bars model yet: still shown as running.
    job = await query_service.get_json("/v1/sync/job-a")
    assert (job["status"], job["finished_at"], job["bars"]) == ("running", None, None)
    first = BarSynced("job-a", symbol, Interval.H1, tuple(hourly_bars(1000)), chunk=0, chunks=3)
    await publish(js, first, bars_synced_subject(symbol, Interval.H1))
    await query_service.projected()
    job = await query_service.get_json("/v1/sync/job-a")
    assert job["status"] == "running"
    assert job["progress"] == {"bars_fetched": 2500, "bars_written": 1000, "expected": 2500}
    await publish_sync(js, "job-a", symbol, Interval.H1, hourly_bars(2500))
    await query_service.projected()
    job = await query_service.get_json("/v1/sync/job-a")
    assert (job["status"], job["bars"], job["finished_at"]) == (
        "done", 2500, "2024-01-01T00:00:00.002Z",
    )  # fmt: skip
    assert job["progress"] == {"bars_fetched": 2500, "bars_written": 2500, "expected": 2500}

    failed = SyncJobFailed("job-b", error="unknown symbol NASDAQ:NOPE", at=T0)
    await publish(js, failed, SYNC_JOB_EVENTS)
    await publish(js, SyncJobStarted("job-b", at=T0 + 5, attempt=2), SYNC_JOB_EVENTS)
    await query_service.projected("query-jobs", "PQ_JOBS")
    job = await query_service.get_json("/v1/sync/job-b")
    assert (job["status"], job["bars"], job["error"]) == (
        "failed", None, "unknown symbol NASDAQ:NOPE",
    )  # fmt: skip
    missing = await query_service.client.get("/v1/sync/job-unknown")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


async def test_the_latest_quote_is_served_and_never_goes_backwards(
    query_service: RunningQuery,
) -> None:
    js, symbol = query_service.js, unique_symbol()
    quotes = [
        QuoteReceived(symbol, 100.0 + i, 1000.0 + i, T0 + i * 1000, 99.0, 101.0) for i in range(5)
    ]
    for n, q in enumerate([*quotes, quotes[1]]):  # an older quote last (a redelivery)
        await publish(js, q, quotes_subject(symbol), msg_id=f"{q.event_id}:{n}")
    await query_service.projected("query-quotes", "PQ_QUOTES")
    assert await query_service.get_json(f"/v1/quotes/{symbol}") == {
        "symbol": str(symbol), "price": 104.0, "volume": 1004.0, "bid": 99.0, "ask": 101.0,
        "ts": "2024-01-01T00:00:04Z", "delayed": False,
    }  # fmt: skip
    assert (await query_service.client.get("/v1/quotes/NASDAQ:NOQUOTE")).status_code == 404


async def test_symbols_show_metadata_and_coverage(query_service: RunningQuery) -> None:
    js, symbol = query_service.js, unique_symbol("NYSE")
    await publish_meta(js, symbol)
    await publish_sync(js, "job-sym", symbol, Interval.H1, hourly_bars(30))
    await publish_sync(js, "job-sym-d", symbol, Interval.D1, hourly_bars(3, step=86_400_000))
    await query_service.projected()
    one = await query_service.get_json(f"/v1/symbols/{symbol}")
    assert one["symbol"] == str(symbol)
    assert (one["description"], one["timezone"], one["pricescale"]) == (
        "Test Inc.", "America/New_York", 100,
    )  # fmt: skip
    assert one["intervals"] == [
        {"interval": "1h", "start": "2024-01-01T00:00:00Z", "end": "2024-01-02T05:00:00Z",
         "bars": 30},
        {"interval": "1d", "start": "2024-01-01T00:00:00Z", "end": "2024-01-03T00:00:00Z",
         "bars": 3},
    ]  # fmt: skip
    listed = await query_service.get_json("/v1/symbols")
    assert one in listed["symbols"]
    lower = await query_service.get_json(f"/v1/symbols/{str(symbol).lower()}")
    assert lower == one
    assert (await query_service.client.get("/v1/symbols/NYSE:UNKNOWN")).status_code == 404


async def test_health_and_metrics(query_service: RunningQuery) -> None:
    health = await query_service.get_json("/health")
    assert health["status"] == "ok"
    assert set(health["dependencies"]) == {"store", "nats", "redis"}

    async def has_metrics() -> bool:
        text = (await query_service.client.get("/metrics")).text
        return "pq_query_bars_upserted_total" in text and "pq_consumer_lag" in text

    await wait_for(has_metrics, what="metrics exposed")
