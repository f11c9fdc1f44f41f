"""SyncRequested on pq.cmd.sync -> BarSynced chunks on pq.bars.synced.> and the job's outcome."""

from __future__ import annotations

import json
import time
import uuid
from functools import partial

from nats.aio.client import Client
from nats.aio.msg import Msg

from pq_domain import Symbol
from pq_domain.events import bar_to_payload
from pq_domain.subjects import symbol_of_subject
from pq_ingest_history.bootstrap import RunningService, running_service
from pq_ingest_history.settings import IngestHistorySettings
from pq_runtime.stores.adapters.sqlite import SqliteStore
from pq_tradingview import TradingViewClient, TradingViewSettings
from pq_tvsim.server import Simulator
from tests.integration.ingest_history.stream_probe import (
    job_events,
    outcome_of,
    publish_command,
    stored,
    sync_command,
)
from tests.support.waiting import wait_for

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"


async def test_5000_bars_arrive_as_complete_chunks_with_headers(
    nc: Client, simulator: Simulator, service_settings: IngestHistorySettings
) -> None:
    received: list[Msg] = []

    async def on_chunk(msg: Msg) -> None:
        received.append(msg)

    await nc.subscribe("pq.bars.synced.>", cb=on_chunk)
    js = nc.jetstream()
    command = sync_command(f"job-{uuid.uuid4().hex[:8]}", "NASDAQ:AAPL", 5000)
    async with running_service(service_settings):
        started = time.perf_counter()
        await publish_command(js, command, correlation_id="corr-5000", traceparent=TRACEPARENT)

        async def all_chunks() -> bool:
            return len(received) >= 5

        await wait_for(all_chunks, timeout=30, what="5 BarSynced chunks")
        elapsed = time.perf_counter() - started
        outcome = await wait_for(lambda: outcome_of(js, command.job_id), timeout=10, what="outcome")
    print(f"\n5,000 1h bars: command -> all BarSynced received in {elapsed:.2f}s")

    assert outcome.event_type == "SyncJobCompleted"
    assert outcome.data["bars"] == 5000
    events = await job_events(js, command.job_id)
    kinds = [e.event_type for e in events]
    assert kinds[0] == "SyncJobStarted"
    assert kinds[-1] == "SyncJobCompleted"
    progress = [e.data for e in events[1:-1]]
    assert progress
    assert {e.event_type for e in events[1:-1]} == {"SyncJobProgressed"}
    fetched = [p["bars_fetched"] for p in progress]
    assert fetched == sorted(set(fetched))  # real rounds: the count grows each time
    assert fetched[-1] == 5000
    assert {p["expected"] for p in progress} == {5000}
    payloads = sorted((json.loads(m.data) for m in received), key=lambda p: p["chunk"])
    assert [p["chunk"] for p in payloads] == [0, 1, 2, 3, 4]
    assert {p["chunks"] for p in payloads} == {5}
    assert all(len(p["bars"]) <= 1000 for p in payloads)
    for msg in received:
        h = msg.headers or {}
        assert msg.subject == "pq.bars.synced.NASDAQ.AAPL.1h"
        assert h["Pq-Event-Type"] == "BarSynced"
        assert h["Pq-Schema-Version"] == "1"
        assert h["Nats-Msg-Id"].startswith(f"bar-synced:{command.job_id}:")
        assert h["X-Correlation-ID"] == "corr-5000"
        assert h["traceparent"].split("-")[1] == TRACE_ID
    assert {(p["job_id"], p["symbol"], p["interval"]) for p in payloads} == {
        (command.job_id, "NASDAQ:AAPL", "1h")
    }

    synced = [b for p in payloads for b in p["bars"]]
    times = [b["t"] for b in synced]
    assert times == sorted(set(times))  # ascending, no duplicate
    assert times[-1] + 3_600_000 <= int(time.time() * 1000)  # complete bars only
    async with TradingViewClient(TradingViewSettings(url=simulator.url)) as tv:
        reference = [
            bar_to_payload(b) for b in (await tv.fetch_history("NASDAQ:AAPL", "1h", bars=5001)).bars
        ]
    first = [b["t"] for b in reference].index(times[0])
    assert synced == reference[first : first + 5000]  # no gap: the simulator's own series
    assert first >= len(reference) - 5001  # and the newest complete bars

    meta = await stored(js, "PQ_BARS", "pq.bars.meta.")
    assert [(m.subject, m.data["symbol"], m.data["timezone"]) for m in meta] == [
        ("pq.bars.meta.NASDAQ.AAPL", "NASDAQ:AAPL", "America/New_York")
    ]


async def test_symbols_needing_escapes_sync_on_escaped_subjects(
    nc: Client, service_settings: IngestHistorySettings
) -> None:
    js = nc.jetstream()
    commands = [
        sync_command(f"esc-{i}", s, 30) for i, s in enumerate(["NYSE:BRK.B", "CME_MINI:ES1!"])
    ]
    async with running_service(service_settings):
        for command in commands:
            await publish_command(js, command)
        for command in commands:
            outcome = await wait_for(
                partial(outcome_of, js, command.job_id), timeout=20, what="outcome"
            )
            assert outcome.event_type == "SyncJobCompleted", outcome.data
            assert outcome.data["bars"] == 30

    chunks = await stored(js, "PQ_BARS", "pq.bars.synced.")
    assert sorted(c.subject for c in chunks) == [
        "pq.bars.synced.CME_MINI.ES1!.1h",
        "pq.bars.synced.NYSE.BRK~2EB.1h",
    ]
    for chunk in chunks:
        assert symbol_of_subject(chunk.subject) == Symbol.parse(chunk.data["symbol"])
        assert len(chunk.data["bars"]) == 30


async def test_unknown_symbol_fails_the_job_naming_it(
    nc: Client, service_settings: IngestHistorySettings
) -> None:
    js = nc.jetstream()
    command = sync_command("unknown-1", "NASDAQ:NOSUCH", 10)
    async with running_service(service_settings):
        await publish_command(js, command)
        outcome = await wait_for(lambda: outcome_of(js, command.job_id), timeout=20, what="outcome")

    assert outcome.event_type == "SyncJobFailed"
    assert "NASDAQ:NOSUCH" in outcome.data["error"]
    assert await stored(js, "PQ_BARS") == []


async def test_a_command_delivered_twice_emits_nothing_twice(
    nc: Client, service_settings: IngestHistorySettings
) -> None:
    js = nc.jetstream()
    command = sync_command("twice-1", "BINANCE:ETHUSDT", 1500)
    async with running_service(service_settings) as service:
        await publish_command(js, command)
        await wait_for(lambda: outcome_of(js, command.job_id), timeout=20, what="first outcome")
        await wait_for(lambda: _outbox_drained(service), timeout=10, what="outbox published")
        before = (await stored(js, "PQ_BARS"), await job_events(js))
        rows_before = await _outbox_rows(service)

        # The same command again, under another Nats-Msg-Id: as after the duplicate window.
        await publish_command(js, command, msg_id="twice-1-resent")

        async def consumed_twice() -> bool:
            info = await js.consumer_info("PQ_CMD", "ingest-history-sync")
            acked: bool = info.delivered.stream_seq == 2 and info.num_ack_pending == 0
            return acked

        await wait_for(consumed_twice, timeout=10, what="the re-sent command acked")
        assert await _outbox_rows(service) == rows_before

    assert (await stored(js, "PQ_BARS"), await job_events(js)) == before
    outcomes = [e.event_type for e in before[1] if e.event_type != "SyncJobProgressed"]
    assert outcomes == ["SyncJobStarted", "SyncJobCompleted"]
    assert len([c for c in before[0] if c.event_type == "BarSynced"]) == 2


async def _outbox_rows(service: RunningService) -> int:
    assert isinstance(service.store, SqliteStore)
    row = await service.store.db.read(
        lambda c: c.execute("SELECT COUNT(*) FROM pq_outbox").fetchone()
    )
    return int(row[0])


async def _outbox_drained(service: RunningService) -> bool:
    return (await service.store.outbox.stats()).pending == 0


async def test_rate_limited_connections_are_retried_until_the_job_completes(
    nc: Client, simulator: Simulator, service_settings: IngestHistorySettings
) -> None:
    js = nc.jetstream()
    simulator.world.faults.reject_connections = 2  # two HTTP 429s, then it lets us in
    command = sync_command("limited-1", "BINANCE:SOLUSDT", 20)
    async with running_service(service_settings):
        await publish_command(js, command)
        outcome = await wait_for(lambda: outcome_of(js, command.job_id), timeout=20, what="outcome")

    assert outcome.event_type == "SyncJobCompleted", outcome.data
    assert simulator.world.faults.reject_connections == 0


async def test_a_sync_over_several_rounds_reports_each_round(
    nc: Client, simulator: Simulator, service_settings: IngestHistorySettings
) -> None:
    js = nc.jetstream()
    command = sync_command(f"job-{uuid.uuid4().hex[:8]}", "NASDAQ:MSFT", 12_000)
    async with running_service(service_settings):
        await publish_command(js, command)
        outcome = await wait_for(lambda: outcome_of(js, command.job_id), timeout=60, what="done")
    assert outcome.event_type == "SyncJobCompleted", outcome.data
    events = await job_events(js, command.job_id)
    progress = [e.data for e in events if e.event_type == "SyncJobProgressed"]
    # 5,000 bars a round at most: three rounds, each one event, before the outcome.
    assert [p["round"] for p in progress] == [1, 2, 3]
    assert [p["bars_fetched"] for p in progress] == [5000, 10_000, 12_000]
    assert events.index(next(e for e in events if e.event_type == "SyncJobCompleted")) == 4
