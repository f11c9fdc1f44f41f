"""Quotes the client drops from a full backlog are repaired from the history.

A small backlog overflows (always with one quote per symbol at 120x, where each message
carries several ticks per symbol; once with 32 when the simulator's clock jumps, as after
the stall that used to happen while it served history), so the bars built from the
published quotes have holes. ingest-stream must open a gap for every dropped range and have
it backfilled: ingest-history (running here too) syncs the buckets, the ones still forming
then by follow-ups once they closed. What a user reads is the synced bar (the read model
ranks synced over live), so every bucket whose live bar is wrong must get a BarSynced equal
to the simulator's own bar.
"""

from __future__ import annotations

from pathlib import Path

from nats.aio.client import Client

from pq_launcher.servers import NatsServer
from pq_tvsim import Simulator
from tests.support.waiting import wait_for

from .conftest import FAST_SPEED, ShardSettings, shard
from .drop_audit import (
    MIN,
    SYMBOLS,
    Audit,
    burst_backfilled,
    dropped,
    ingest_history,
    next_bucket,
    repaired,
    set_speed,
    wait_event_time,
)
from .probes import Watchlist


async def test_drops_that_never_stop_are_repaired_window_by_window(
    nc: Client,
    own_nats_server: NatsServer,
    watchlist: Watchlist,
    fast_simulator: Simulator,
    tmp_path: Path,
) -> None:
    intervals = ("1m", "5m")
    settings = ShardSettings(own_nats_server.url, fast_simulator.url).make(
        shard_id="solo",
        tradingview_backlog_per_symbol=1,
        backfill_intervals=",".join(intervals),
        initial_backfill_s=60,
        gap_max_open_s=1.0,  # the drops never stop here: close a window every second
    )
    clock = fast_simulator.world.clock
    history = ingest_history(own_nats_server.url, fast_simulator, tmp_path)
    async with history, shard(settings) as svc:
        await watchlist.add(*SYMBOLS)
        until = next_bucket(clock.now_ms(), 5 * MIN) + 10 * MIN  # two whole 5m buckets
        await wait_event_time(fast_simulator, until + MIN)  # past the follow-ups' delay
        assert dropped(svc) > 0, "the tiny backlog dropped nothing: the test proves nothing"
        # Removed from the watchlist: what the stream recorded is still repaired.
        await watchlist.remove(*SYMBOLS)
        audit = await repaired(Audit(nc, fast_simulator, intervals, until))
    assert len(audit.holes) >= len(SYMBOLS) * 10  # every minute was broken


async def test_a_burst_of_drops_is_repaired_including_the_bucket_still_forming_then(
    nc: Client,
    own_nats_server: NatsServer,
    watchlist: Watchlist,
    fast_simulator: Simulator,
    tmp_path: Path,
) -> None:
    intervals = ("1m", "5m")
    settings = ShardSettings(own_nats_server.url, fast_simulator.url).make(
        shard_id="solo",
        tradingview_backlog_per_symbol=32,  # several messages' worth: no drop while flowing
        backfill_intervals=",".join(intervals),
        initial_backfill_s=60,
    )
    clock = fast_simulator.world.clock
    history = ingest_history(own_nats_server.url, fast_simulator, tmp_path)
    async with history, shard(settings) as svc:
        await watchlist.add(*SYMBOLS)
        boundary = next_bucket(clock.now_ms(), 5 * MIN)
        await wait_event_time(fast_simulator, boundary + 10_000)
        # Three market minutes at once (~100 ticks per symbol in one message) overflow the
        # backlog. Market time then runs at wall speed until the gap was backfilled, so
        # the 5m bucket holding the drops is surely still forming when that sync runs.
        set_speed(clock, 1.0)
        clock.anchor_ms += 3 * MIN
        await wait_for(
            lambda: burst_backfilled(nc, svc, boundary), timeout=30, what="the burst's syncs"
        )
        assert dropped(svc) > 0, "the burst dropped nothing: the test proves nothing"
        set_speed(clock, FAST_SPEED)
        until = boundary + 10 * MIN
        await wait_event_time(fast_simulator, until)
        touched = frozenset((s, "5m", boundary) for s in SYMBOLS)
        await repaired(Audit(nc, fast_simulator, intervals, until, touched))
