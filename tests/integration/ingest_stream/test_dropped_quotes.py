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

from nats.aio.client import Client

from pq_tvsim import Simulator

from .conftest import FAST_SPEED, shard
from .drop_audit import (
    MIN,
    SYMBOLS,
    dropped,
    next_bucket,
    repaired,
    set_speed,
    wait_event_time,
)
from .drop_repairs import DropRepairs
from .probes import Watchlist


async def test_drops_that_never_stop_are_repaired_window_by_window(
    nc: Client, watchlist: Watchlist, fast_simulator: Simulator, drop_repairs: DropRepairs
) -> None:
    settings = drop_repairs.shard_settings(
        backlog=1,
        gap_max_open_s=1.0,  # the drops never stop here: close a window every second
    )
    clock = fast_simulator.world.clock
    async with drop_repairs.ingest_history(), shard(settings) as svc:
        await watchlist.add(*SYMBOLS)
        until = next_bucket(clock.now_ms(), 5 * MIN) + 10 * MIN  # two whole 5m buckets
        await wait_event_time(fast_simulator, until + MIN)  # past the follow-ups' delay
        assert dropped(svc) > 0, "the tiny backlog dropped nothing: the test proves nothing"
        # Removed from the watchlist: what the stream recorded is still repaired.
        await watchlist.remove(*SYMBOLS)
        audit = await repaired(drop_repairs.audit(nc, until))
    assert len(audit.holes) >= len(SYMBOLS) * 10  # every minute was broken


async def test_a_burst_of_drops_is_repaired_including_the_bucket_still_forming_then(
    nc: Client, watchlist: Watchlist, fast_simulator: Simulator, drop_repairs: DropRepairs
) -> None:
    # Several messages' worth: no drop while flowing.
    settings = drop_repairs.shard_settings(backlog=32)
    clock = fast_simulator.world.clock
    async with drop_repairs.ingest_history(), shard(settings) as svc:
        await watchlist.add(*SYMBOLS)
        boundary = await drop_repairs.burst_of_drops(nc, svc)
        set_speed(clock, FAST_SPEED)
        until = boundary + 10 * MIN
        await wait_event_time(fast_simulator, until)
        touched = frozenset((s, "5m", boundary) for s in SYMBOLS)
        await repaired(drop_repairs.audit(nc, until, touched))
