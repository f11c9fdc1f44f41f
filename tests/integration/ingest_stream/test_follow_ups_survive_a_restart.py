"""A follow-up still waiting when ingest-stream stops is sent after it restarts.

Follow-ups do not hold a symbol's cursor back: they are persisted with it. So the window
that matters is when the cursor has already moved past the bucket (the restarted shard's
own gap starts after it and will not sync it again) while the bucket's follow-up still
waits for its delay: only the persisted follow-up can repair that bar then.
"""

from __future__ import annotations

from nats.aio.client import Client
from nats.js import JetStreamContext

from pq_domain import Interval, Symbol
from pq_domain.buckets import STREAM_CURSORS
from pq_ingest_stream.model.follow_ups import FollowUp
from pq_tvsim import Simulator
from tests.support.waiting import wait_for

from .conftest import FAST_SPEED, shard
from .drop_audit import (
    MIN,
    SYMBOLS,
    completed_jobs,
    repaired,
    set_speed,
    wait_event_time,
)
from .drop_repairs import DropRepairs
from .probes import Watchlist, kv_values

FOLLOW_UP_DELAY_MS = 5 * MIN  # long: the cursor passes the bucket's end well before it


async def test_a_waiting_follow_up_is_persisted_and_sent_after_a_restart(
    nc: Client,
    js: JetStreamContext,
    watchlist: Watchlist,
    fast_simulator: Simulator,
    drop_repairs: DropRepairs,
) -> None:
    settings = drop_repairs.shard_settings(
        backlog=32, backfill_follow_up_delay_s=FOLLOW_UP_DELAY_MS / 1000
    )
    clock = fast_simulator.world.clock
    await watchlist.add(*SYMBOLS)
    async with drop_repairs.ingest_history():
        async with shard(settings) as svc:
            # The burst's gap is synced while its 5m bucket forms.
            boundary = await drop_repairs.burst_of_drops(nc, svc)
            set_speed(clock, 30.0)  # past the bucket's end, not past the follow-up's delay
            bucket_end = boundary + 5 * MIN
            await wait_for(
                lambda: persisted_past(js, boundary, bucket_end),
                timeout=30,
                what="cursors past the bucket, its follow-up persisted with them",
            )
            assert clock.now_ms() < bucket_end + FOLLOW_UP_DELAY_MS, "the follow-up is due"
        # Stopped with the follow-ups waiting; a new instance takes the symbols over.
        async with shard(settings):
            set_speed(clock, FAST_SPEED)
            until = boundary + 15 * MIN
            await wait_event_time(fast_simulator, until)
            touched = frozenset((s, "5m", boundary) for s in SYMBOLS)
            await repaired(drop_repairs.audit(nc, until, touched))
        follow_ups = {
            FollowUp(Symbol.parse(s), Interval.M5, boundary, bucket_end).command().job_id
            for s in SYMBOLS
        }
        assert follow_ups <= await completed_jobs(nc), "repaired, but not by the follow-ups"


async def persisted_past(js: JetStreamContext, start: int, end: int) -> bool:
    """Every symbol's cursor is past the bucket [start, end) and lists its follow-up."""
    cursors = (await kv_values(await js.key_value(STREAM_CURSORS))).values()
    bucket = {"interval": "5m", "start": start, "end": end}
    done = [c for c in cursors if c["last_quote_ts"] > end and bucket in c.get("follow_ups", [])]
    return len(done) == len(SYMBOLS)
