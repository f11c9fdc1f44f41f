"""No gaps after downtime: a restarted shard asks for the missed window, from its cursors."""

from __future__ import annotations

from nats.js import JetStreamContext

from pq_domain import Interval, Symbol, bucket_end, bucket_start, default_session
from pq_domain.buckets import STREAM_CURSORS
from pq_domain.events import SyncRequested
from pq_ingest_stream.model.backfill_plan import DAY_MS, backfill_job_id
from pq_tvsim import Simulator
from tests.support.waiting import wait_for

from .conftest import ShardSettings, shard
from .probes import Stored, Watchlist, kv_values, last_seq, stored

SYMBOLS = ("NASDAQ:AAPL", "BINANCE:BTCUSDT")
INTERVALS = (Interval.M1, Interval.M5, Interval.M15, Interval.H1, Interval.H4, Interval.D1)


def expected_start(symbol: Symbol, interval: Interval, since_ms: int) -> int:
    session = default_session(symbol.exchange, symbol.code)
    if interval.is_intraday:
        return bucket_start(interval, since_ms, session)
    return bucket_start(interval, since_ms - DAY_MS, session)


async def commands(js: JetStreamContext) -> list[tuple[Stored, SyncRequested]]:
    return [(m, SyncRequested.from_payload(m.data)) for m in await stored(js, "PQ_CMD")]


async def test_a_restart_after_downtime_backfills_from_the_cursors(
    js: JetStreamContext, watchlist: Watchlist, shard_settings: ShardSettings, simulator: Simulator
) -> None:
    await watchlist.add(*SYMBOLS)
    settings = shard_settings.make(shard_id="solo", initial_backfill_s=3600)
    async with shard(settings):
        cursors_kv = await js.key_value(STREAM_CURSORS)

        async def both_cursors() -> dict[str, dict[str, object]]:
            values = await kv_values(cursors_kv)
            return values if len(values) == len(SYMBOLS) else {}

        await wait_for(both_cursors, timeout=15, what="cursors of both symbols")
    # Stopped: the last flush at shutdown wrote the newest quote times.
    cursors = {v["symbol"]: int(v["last_quote_ts"]) for v in (await kv_values(cursors_kv)).values()}
    initial = await commands(js)
    assert {(str(c.symbol), c.interval) for _, c in initial} == {
        (s, i) for s in SYMBOLS for i in INTERVALS
    }
    for _, c in initial:  # new symbols: the initial window (1 h here) up to the first quotes
        assert c.start is not None
        assert c.end is not None
        assert c.end - c.start >= 3600_000

    # Downtime: two minutes of market pass (4 s at 30x) with nobody streaming.
    downtime_end = max(cursors.values()) + 120_000
    await wait_for(
        lambda: _async(simulator.world.clock.now_ms() > downtime_end), timeout=10, what="downtime"
    )
    before_restart = {s: await last_seq(js, s) for s in SYMBOLS}
    async with shard(settings):

        async def gap_commands() -> dict[tuple[str, Interval], tuple[Stored, SyncRequested]]:
            # One per (symbol, interval) starting at the cursor's bar. An identical command
            # (same range, so the same job id) sent earlier is dropped by the stream: then
            # the earlier one is the answer.
            found = {
                (str(c.symbol), c.interval): (m, c)
                for m, c in await commands(js)
                if c.start == expected_start(c.symbol, c.interval, cursors[str(c.symbol)])
            }
            return found if len(found) == len(SYMBOLS) * len(INTERVALS) else {}

        found = await wait_for(gap_commands, timeout=15, what="backfill commands after restart")
    assert len(await commands(js)) > len(initial)  # not all were identical to initial ones
    quotes = await stored(js, "PQ_QUOTES")
    for message, command in found.values():
        symbol = command.symbol
        resumed = min(
            m.data["ts"]
            for m in quotes
            if m.data["symbol"] == str(symbol) and m.seq > before_restart[str(symbol)]
        )
        assert command.start is not None
        assert command.end is not None
        assert command.end >= bucket_end(
            command.interval, resumed, default_session(symbol.exchange, symbol.code)
        )
        job_id = backfill_job_id(symbol, command.interval, command.start, command.end)
        assert command.job_id == job_id
        assert message.headers["Nats-Msg-Id"] == f"sync-requested:{job_id}"
        assert message.headers["Pq-Event-Type"] == "SyncRequested"
        assert message.headers["X-Correlation-ID"] == job_id


async def _async(value: bool) -> bool:
    return value
