"""Dropped quotes are backfilled: one set of commands per burst, then follow-ups once closed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from pq_domain import Interval, Quote, Symbol
from pq_domain.events import QuoteReceived
from pq_ingest_stream.handlers.gap_backfiller import GapBackfiller
from pq_ingest_stream.handlers.quote_pump import QuotePump
from pq_ingest_stream.metrics import StreamMetrics
from pq_ingest_stream.model.backfill_plan import BackfillKind, BackfillPolicy, backfill_job_id
from pq_ingest_stream.model.follow_ups import FollowUp
from pq_ingest_stream.model.gap_tracker import GapTracker
from pq_ingest_stream.model.last_quotes import LastQuotes
from pq_ingest_stream.model.token_bucket import TokenBucket
from pq_tradingview import QuotesDropped, StreamEvent

from .fakes import Clock, SentCommands

A, B = Symbol("BINANCE", "BTCUSDT"), Symbol("BINANCE", "ETHUSDT")
T0 = 1_741_186_800_000  # 2025-03-05 15:00 UTC
MIN, HOUR = 60_000, 3_600_000
POLICY = BackfillPolicy((Interval.M1, Interval.H1), initial_window_ms=MIN, max_gap_ms=10**9)


@dataclass
class Parts:
    clock: Clock = field(default_factory=Clock)
    sent: SentCommands = field(default_factory=SentCommands)
    last: LastQuotes = field(default_factory=LastQuotes)
    filler: GapBackfiller = field(init=False)

    def __post_init__(self) -> None:
        self.filler = GapBackfiller(
            GapTracker(settle_s=1.0, max_open_s=30.0),
            POLICY,
            self.sent,
            TokenBucket(rate=100.0, burst=100, now=0.0),
            self.last,
            StreamMetrics(),
            follow_up_delay_ms=2_000,
            clock=self.clock,
            now_ms=lambda: T0,
        )
        self.filler.connected_at = 0.0

    async def tick(self, at: float) -> list[tuple[Interval, int | None, int | None, str]]:
        """Advance the monotonic clock, close and send what is due; what was sent now."""
        self.clock.now = at
        before = len(self.sent.sent)
        self.filler.close_due()
        await self.filler.send_allowed()
        return [(c.interval, c.start, c.end, c.job_id) for c in self.sent.sent[before:]]


@pytest.fixture
def parts() -> Parts:
    return Parts()


async def test_a_burst_of_drops_becomes_one_command_per_interval_over_its_buckets(
    parts: Parts,
) -> None:
    parts.last.saw(A, T0 + 10 * MIN)
    for k in range(20):  # a drop report every 0.1 s for 2 s
        parts.clock.now = 0.1 * k
        parts.filler.quotes_dropped(A, T0 + 10 * MIN + 1_000 * k, T0 + 10 * MIN + 1_000 * k + 500)
        assert await parts.tick(0.1 * k) == []  # coalesced while they go on
    sent = await parts.tick(3.0)
    ranges = {interval: (start, end) for interval, start, end, _ in sent}
    assert ranges == {
        Interval.M1: (T0 + 10 * MIN, T0 + 11 * MIN),  # 15:10:00 .. 15:10:19.5 dropped
        Interval.H1: (T0, T0 + HOUR),
    }
    assert not parts.filler.busy(A)


async def test_the_forming_buckets_are_synced_again_once_closed(parts: Parts) -> None:
    parts.last.saw(A, T0 + 10 * MIN + 30_000)
    parts.filler.quotes_dropped(A, T0 + 10 * MIN, T0 + 10 * MIN + 20_000)
    await parts.tick(1.5)
    # both last buckets were forming when their commands left: both wait for a follow-up
    assert parts.filler.follow_ups_of(A) == (
        FollowUp(A, Interval.M1, T0 + 10 * MIN, T0 + 11 * MIN),
        FollowUp(A, Interval.H1, T0, T0 + HOUR),
    )
    assert A in parts.last.take_dirty(keep=set())  # so the cursor flush persists them
    parts.last.saw(A, T0 + 11 * MIN + 1_000)  # the minute ended, but not the delay after it
    assert await parts.tick(2.0) == []
    parts.last.saw(B, T0 + 11 * MIN + 2_000)  # event time from any symbol of the shard
    minute = FollowUp(A, Interval.M1, T0 + 10 * MIN, T0 + 11 * MIN).command()
    assert await parts.tick(2.2) == [(Interval.M1, minute.start, minute.end, minute.job_id)]
    assert minute.job_id.startswith(BackfillKind.FOLLOW_UP.value)
    parts.last.saw(A, T0 + HOUR + 5_000)
    (hour,) = await parts.tick(2.4)
    assert hour[:3] == (Interval.H1, T0, T0 + HOUR)
    assert parts.filler.follow_ups_of(A) == ()


async def test_a_bucket_already_closed_when_its_command_leaves_needs_no_follow_up(
    parts: Parts,
) -> None:
    parts.last.saw(A, T0 + 2 * HOUR)
    parts.filler.quotes_dropped(A, T0 + 10 * MIN, T0 + 10 * MIN + 20_000)
    await parts.tick(1.5)
    assert parts.filler.follow_ups_of(A) == ()


async def test_restored_follow_ups_are_sent_by_the_new_owner(parts: Parts) -> None:
    follow_up = FollowUp(A, Interval.H1, T0, T0 + HOUR)
    parts.filler.restore_follow_ups((follow_up,))
    parts.last.saw(A, T0 + HOUR + 2_000)
    assert [job for *_, job in await parts.tick(0.1)] == [follow_up.command().job_id]


async def test_a_hand_over_drops_it_all_but_a_removed_symbol_is_still_repaired(
    parts: Parts,
) -> None:
    parts.last.saw(A, T0 + 10 * MIN + 30_000)
    for symbol in (A, B):
        parts.filler.quotes_dropped(symbol, T0 + 10 * MIN, T0 + 10 * MIN + 20_000)
    parts.last.saw(B, T0 + 10 * MIN + 30_000)
    parts.filler.forget(A)  # another shard owns it now: it re-derives from the cursor
    parts.filler.stream_ended(B)  # off the watchlist: no one else will repair it
    sent = await parts.tick(0.1)
    assert {job for *_, job in sent} == {
        backfill_job_id(B, Interval.M1, T0 + 10 * MIN, T0 + 11 * MIN),
        backfill_job_id(B, Interval.H1, T0, T0 + HOUR),
    }


class Events:
    def __init__(self, events: list[StreamEvent]) -> None:
        self._events: Iterator[StreamEvent] = iter(events)

    async def next_event(self) -> StreamEvent:
        try:
            return next(self._events)
        except StopIteration:
            raise EOFError from None  # ends the pump, as a closed stream does


@dataclass
class Published:
    quotes: list[QuoteReceived] = field(default_factory=list)

    async def publish(self, quote: QuoteReceived) -> None:
        self.quotes.append(quote)


async def pumped(parts: Parts, events: list[StreamEvent]) -> list[int]:
    """Run the pump over `events` with A owned; the times of the quotes it published."""
    published = Published()
    pump = QuotePump(
        Events(events), published, parts.last, lambda: frozenset({A}), parts.filler, StreamMetrics()
    )
    with pytest.raises(EOFError):
        await pump.run()
    return [q.ts for q in published.quotes]


async def test_the_pump_opens_a_gap_for_drops_of_owned_symbols_only(parts: Parts) -> None:
    events: list[StreamEvent] = [
        QuotesDropped(A, T0, T0 + 10, 3, next_ts=T0 + 11),
        Quote(A, 1.0, 5.0, T0 + 11),
        # B was released meanwhile: its drops are its next owner's business.
        QuotesDropped(B, T0, T0 + 10, 1, next_ts=T0 + 12),
    ]
    assert await pumped(parts, events) == [T0 + 11]
    assert parts.filler.busy(A)
    assert not parts.filler.busy(B)


async def test_the_bar_of_the_quote_after_a_drop_is_repaired_too(parts: Parts) -> None:
    """Quotes carry the day's cumulative volume: the quote served after a drop counts the
    dropped quotes' volume in its own bar, a minute later here, which the history repairs."""
    events: list[StreamEvent] = [
        QuotesDropped(A, T0 + 50_000, T0 + 59_000, 4, next_ts=T0 + MIN + 2_000),
        Quote(A, 1.0, 5.0, T0 + MIN + 2_000),
    ]
    await pumped(parts, events)
    parts.last.saw(A, T0 + 2 * HOUR)
    ranges = {interval: (start, end) for interval, start, end, _ in await parts.tick(1.5)}
    assert ranges[Interval.M1] == (T0, T0 + 2 * MIN)


async def test_a_removed_symbol_that_never_streamed_needs_no_backfill(parts: Parts) -> None:
    parts.filler.open_gap(A, None)  # subscribed: its initial backfill is queued, not sent
    parts.clock.now = 1.5
    parts.filler.close_due()
    assert parts.filler.queued == 2
    parts.filler.stream_ended(A)  # removed before a quote came: no live bar to repair
    assert await parts.tick(5.0) == []
