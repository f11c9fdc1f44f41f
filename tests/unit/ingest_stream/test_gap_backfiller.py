from __future__ import annotations

from pq_domain import Interval, Symbol
from pq_domain.events import SyncRequested
from pq_ingest_stream.adapters.session_context import SessionContext
from pq_ingest_stream.handlers.gap_backfiller import GapBackfiller
from pq_ingest_stream.handlers.session_watch import SessionWatch
from pq_ingest_stream.metrics import StreamMetrics
from pq_ingest_stream.model.backfill_plan import BackfillPolicy
from pq_ingest_stream.model.gap_tracker import GapTracker
from pq_ingest_stream.model.last_quotes import LastQuotes
from pq_ingest_stream.model.token_bucket import TokenBucket

from .fakes import Clock, FakeStatus, SentCommands

SYMBOLS = [Symbol("NASDAQ", f"S{i}") for i in range(5)]
T0 = 1_741_186_800_000
POLICY = BackfillPolicy((Interval.M1, Interval.H1), initial_window_ms=60_000, max_gap_ms=10**9)


def backfiller(clock: Clock, sent: SentCommands, last: LastQuotes) -> GapBackfiller:
    return GapBackfiller(
        GapTracker(settle_s=1.0),
        POLICY,
        sent,
        TokenBucket(rate=2.0, burst=4, now=0.0),
        last,
        StreamMetrics(),
        clock=clock,
        now_ms=lambda: T0,
    )


async def test_commands_leave_at_the_rate_limit_and_symbols_stay_busy_until_sent() -> None:
    clock, sent, last = Clock(), SentCommands(), LastQuotes()
    filler = backfiller(clock, sent, last)
    for symbol in SYMBOLS:
        filler.open_gap(symbol, T0 - 120_000)
    filler.connected_at = 0.0
    clock.now = 1.0
    last.saw(SYMBOLS[0], T0 + 5_000)  # the newest event time is where the gap ends
    filler.close_due()
    assert filler.queued == 10
    await filler.send_allowed()
    assert len(sent.sent) == 4  # the burst (a full bucket does not grow)
    assert filler.busy(SYMBOLS[4])
    clock.now = 2.5
    await filler.send_allowed()
    assert len(sent.sent) == 7  # 2 per second
    clock.now = 4.0
    await filler.send_allowed()
    assert len(sent.sent) == 10
    assert not any(filler.busy(s) for s in SYMBOLS)
    assert {c.end for c in sent.sent if c.interval is Interval.M1} == {T0 + 60_000}


async def test_a_failed_send_is_kept_for_later() -> None:
    clock, sent, last = Clock(), SentCommands(failing=True), LastQuotes()
    filler = backfiller(clock, sent, last)
    filler.open_gap(SYMBOLS[0], None)
    filler.connected_at = 0.0
    clock.now = 1.0
    filler.close_due()
    assert not await filler.send_allowed()
    assert filler.queued == 2
    assert filler.busy(SYMBOLS[0])
    sent.failing = False
    clock.now = 5.0
    assert await filler.send_allowed()
    assert filler.queued == 0


async def test_a_released_symbol_loses_its_queued_commands() -> None:
    clock, sent, last = Clock(), SentCommands(), LastQuotes()
    filler = backfiller(clock, sent, last)
    filler.open_gap(SYMBOLS[0], T0 - 60_000)
    filler.open_gap(SYMBOLS[1], T0 - 60_000)
    filler.connected_at, clock.now = 0.0, 1.0
    filler.close_due()
    filler.forget(SYMBOLS[0])
    await filler.send_allowed()
    assert {c.symbol for c in sent.sent} == {SYMBOLS[1]}


class HandOverWhileSending(SentCommands):
    """A send that awaits, during which the shard hands `symbol` over (forget)."""

    def __init__(self, symbol: Symbol) -> None:
        super().__init__()
        self.symbol = symbol
        self.filler: GapBackfiller | None = None

    async def __call__(self, command: SyncRequested) -> None:
        await super().__call__(command)
        if self.filler is not None and command.symbol == self.symbol:
            self.filler.forget(self.symbol)


async def test_a_hand_over_during_a_send_neither_crashes_nor_keeps_the_symbol() -> None:
    clock, sent, last = Clock(), HandOverWhileSending(SYMBOLS[0]), LastQuotes()
    filler = backfiller(clock, sent, last)
    sent.filler = filler
    filler.open_gap(SYMBOLS[0], T0 - 60_000)
    filler.open_gap(SYMBOLS[1], T0 - 60_000)
    filler.connected_at, clock.now = 0.0, 1.0
    last.saw(SYMBOLS[1], T0 + 5_000)
    filler.close_due()
    assert await filler.send_allowed()
    assert [c.symbol for c in sent.sent] == [SYMBOLS[0], SYMBOLS[1], SYMBOLS[1]]
    assert filler.queued == 0
    assert not filler.busy(SYMBOLS[0])
    assert filler.follow_ups_of(SYMBOLS[0]) == ()  # the next owner derives its own


async def test_a_range_merged_during_a_send_is_sent_after_it() -> None:
    clock, last = Clock(), LastQuotes()
    merged: list[SyncRequested] = []

    class GapGrowsWhileSending(SentCommands):
        async def __call__(self, command: SyncRequested) -> None:
            await super().__call__(command)
            if not merged:  # the symbol's quotes drop again while the first command is out
                merged.append(command)
                filler.quotes_dropped(SYMBOLS[0], T0 + 120_000, T0 + 180_000)
                clock.now += 2.0
                filler.close_due()

    sent = GapGrowsWhileSending()
    filler = backfiller(clock, sent, last)
    filler.open_gap(SYMBOLS[0], T0 - 60_000)
    filler.connected_at, clock.now = 0.0, 1.0
    filler.close_due()
    assert await filler.send_allowed()
    clock.now += 10.0
    assert await filler.send_allowed()
    m1 = [c for c in sent.sent if c.interval is Interval.M1]
    assert len(m1) == 2, m1
    assert m1[1].end is not None
    assert m1[1].end >= T0 + 180_000  # the later drop is covered
    assert filler.queued == 0


async def test_a_reconnect_opens_gaps_from_the_last_quotes_before_it() -> None:
    clock, sent, last = Clock(), SentCommands(), LastQuotes()
    filler = backfiller(clock, sent, last)
    stream, context = FakeStatus(), SessionContext("s")
    owned = frozenset(SYMBOLS[:2])
    watch = SessionWatch(stream, lambda: owned, last, filler, context, StreamMetrics(), clock=clock)
    last.saw(SYMBOLS[0], T0)
    watch.poll()  # connected: snapshot taken
    last.saw(SYMBOLS[0], T0 + 50_000)  # arrives on the new connection before the next poll
    stream.reconnects = 1
    clock.now = 10.0
    watch.poll()
    assert context.correlation_id == "s:1"
    assert filler.connected_at == 10.0
    clock.now = 11.0
    filler.close_due()
    await filler.send_allowed()
    starts = {(c.symbol, c.interval): c.start for c in sent.sent}
    assert starts[(SYMBOLS[0], Interval.M1)] == T0  # from the snapshot, not the newer quote
    assert starts[(SYMBOLS[1], Interval.M1)] == T0  # never quoted: the shard's newest


def test_reconnects_are_counted_once_each() -> None:
    clock, last = Clock(), LastQuotes()
    metrics = StreamMetrics()
    stream = FakeStatus()
    watch = SessionWatch(
        stream,
        frozenset,
        last,
        backfiller(clock, SentCommands(), last),
        SessionContext("s"),
        metrics,
        clock=clock,
    )

    def counted() -> float | None:
        return metrics.registry.get_sample_value("pq_stream_reconnects_total")

    watch.poll()
    assert counted() == 0
    stream.reconnects = 2  # two drops between polls
    watch.poll()
    watch.poll()  # polling again adds nothing
    assert counted() == 2
