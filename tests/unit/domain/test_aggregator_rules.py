"""The aggregator's documented rules, one concrete example each."""

from __future__ import annotations

import pytest

from pq_domain import (
    AggregatorConfig,
    BarAggregator,
    Interval,
    Quote,
    Symbol,
    TradingSession,
    default_session,
)
from pq_domain.events import BarCompleted

BTC = Symbol.parse("BINANCE:BTCUSDT")
T = 1_704_067_200_000  # 2024-01-01 00:00 UTC, a minute (and day) boundary
M1_ONLY = AggregatorConfig(intervals=(Interval.M1,), grace_ms=2_000, lateness_ms=60_000)


def q(price: float, volume: float, at: int, symbol: Symbol = BTC) -> Quote:
    return Quote(symbol, price, volume, T + at)


def ohlcvn(e: BarCompleted) -> tuple[int, float, float, float, float, float, int, int]:
    b = e.bar
    return (b.t - T, b.o, b.h, b.l, b.c, b.v, e.ticks, e.revision)


def test_volume_is_the_increase_of_the_day_total_and_the_first_quote_counts_zero() -> None:
    agg = BarAggregator(M1_ONLY)
    agg.on_quotes([q(10, 5_000, 1_000), q(11, 5_030, 20_000), q(9, 5_100, 59_000)], 0)
    # 5_030 - 5_000 + 5_100 - 5_030: the first quote's 5_000 belongs to bars never seen.
    [done] = agg.on_quote(q(12, 5_200, 62_000), 0)
    assert ohlcvn(done) == (0, 10, 11, 9, 9, 100, 3, 0)


def test_a_lower_total_starts_a_new_day_and_counts_in_full() -> None:
    agg = BarAggregator(M1_ONLY)
    agg.on_quotes([q(10, 900, 1_000), q(10, 1_000, 2_000), q(10, 40, 3_000)], 0)
    [done] = agg.on_quote(q(10, 50, 70_000), 0)
    assert done.bar.v == 100 + 40


def test_a_bar_closes_when_the_watermark_passes_end_plus_grace() -> None:
    agg = BarAggregator(M1_ONLY)
    assert agg.on_quotes([q(10, 0, 1_000), q(11, 1, 60_500), q(12, 2, 61_999)], 0) == []
    [done] = agg.on_quote(q(13, 3, 62_000), 0)
    assert ohlcvn(done) == (0, 10, 10, 10, 10, 0, 1, 0)
    assert [ohlcvn(e) for e in agg.on_clock(10**12)] == [(60_000, 11, 13, 11, 13, 3, 3, 0)]


def test_no_ticks_no_bar() -> None:
    agg = BarAggregator(M1_ONLY)
    done = agg.on_quotes([q(10, 0, 1_000), q(11, 0, 185_000)], 0) + agg.on_clock(10**12)
    assert [e.bar.t - T for e in done] == [0, 180_000]


def test_a_late_tick_within_grace_joins_the_forming_bar_without_volume() -> None:
    agg = BarAggregator(M1_ONLY)
    agg.on_quotes([q(10, 100, 1_000), q(10, 110, 59_000), q(11, 120, 60_500)], 0)
    assert agg.on_quote(q(20, 999, 59_500), 0) == []  # late, bar still within grace
    [done] = agg.on_quote(q(12, 130, 62_000), 0)
    assert ohlcvn(done) == (0, 10, 20, 10, 20, 10, 3, 0)  # close: greatest ts (59.5 s)


def test_a_late_tick_within_lateness_revises_and_a_later_one_is_dropped() -> None:
    agg = BarAggregator(M1_ONLY)
    agg.on_quotes([q(10, 100, 1_000), q(11, 110, 30_000), q(12, 120, 65_000)], 0)
    [revised] = agg.on_quote(q(8, 105, 10_000), 0)  # 10 s: between the two ticks
    assert ohlcvn(revised) == (0, 10, 11, 8, 11, 10, 3, 1)
    [again] = agg.on_quote(q(9, 105, 500), 0)  # earliest tick: the new open
    assert ohlcvn(again) == (0, 9, 11, 8, 11, 10, 4, 2)
    # The watermark reaches end + grace + lateness = 122 s: the minute is forgotten.
    agg.on_quote(q(12, 130, 122_000), 0)
    assert agg.on_quote(q(50, 130, 30_000), 0) == []
    assert (agg.revisions, agg.dropped_late) == (2, 1)


def test_a_late_tick_for_a_minute_that_had_no_tick_completes_it() -> None:
    agg = BarAggregator(M1_ONLY)
    agg.on_quotes([q(10, 100, 1_000), q(12, 120, 125_000)], 0)
    [first] = agg.on_quote(q(11, 0, 90_000), 0)
    assert ohlcvn(first) == (60_000, 11, 11, 11, 11, 0, 1, 0)


def test_a_bar_a_late_tick_opened_is_the_one_later_ticks_join() -> None:
    """Found by the property test: a stock's first in-session tick comes late (after an
    off-session one moved event time past the close), opening the month's bar; the next
    session's tick must join that bar, not open a second bar with the same key."""
    brk = Symbol.parse("NYSE:BRK.B")
    month = AggregatorConfig(intervals=(Interval.MN1,), grace_ms=0, lateness_ms=0)
    agg = BarAggregator(month, lambda s: default_session(s.exchange))
    friday_after_close, friday_session, monday_session = (
        1_730_493_600_000,  # 2024-11-01 16:40 New York
        1_730_486_400_000,  # 14:40
        1_730_752_800_000,  # 2024-11-04 15:40
    )
    agg.on_quotes(
        [
            Quote(brk, 10, 0, friday_after_close),
            Quote(brk, 11, 0, friday_session),
            Quote(brk, 12, 0, monday_session),
        ],
        0,
    )
    [bar] = agg.on_clock(10**15)
    assert (bar.bar.o, bar.bar.h, bar.bar.c, bar.ticks, bar.revision) == (11, 12, 12, 2, 0)


class TestIdleClose:
    config = AggregatorConfig(intervals=(Interval.M1,), grace_ms=2_000, idle_timeout_ms=10_000)
    wall = 5_000_000  # wall clock at the last quote (unrelated to event time)

    def fed(self) -> BarAggregator:
        agg = BarAggregator(self.config)
        agg.on_quotes([q(10, 0, 1_000), q(11, 5, 55_000)], self.wall)
        return agg

    def test_nothing_closes_before_the_idle_timeout(self) -> None:
        agg = self.fed()
        # 9.999 s later the extrapolated event time (64.999 s) is past 62 s, but not idle yet.
        assert agg.on_clock(self.wall + 9_999) == []

    def test_after_the_timeout_bars_ended_in_extrapolated_event_time_close(self) -> None:
        agg = self.fed()
        [done] = agg.on_clock(self.wall + 10_000)
        assert ohlcvn(done) == (0, 10, 11, 10, 11, 5, 2, 0)
        assert agg.forming(BTC) == []

    def test_a_bar_not_yet_ended_in_extrapolated_event_time_stays(self) -> None:
        agg = BarAggregator(self.config)
        agg.on_quote(q(10, 0, 1_000), self.wall)
        # 1 s + 50 s of silence = 51 s < 62 s: the minute may still get ticks.
        assert agg.on_clock(self.wall + 50_000) == []
        assert len(agg.on_clock(self.wall + 61_000)) == 1

    def test_a_quote_for_an_idle_closed_bar_revises_it_with_its_volume(self) -> None:
        agg = self.fed()
        agg.on_clock(self.wall + 10_000)
        [revised] = agg.on_quote(q(12, 7, 59_000), self.wall + 11_000)
        assert ohlcvn(revised) == (0, 10, 12, 10, 12, 7, 3, 1)


def test_forming_and_take_updates_show_the_provisional_bars() -> None:
    agg = BarAggregator(AggregatorConfig(intervals=(Interval.M1, Interval.D1)))
    agg.on_quotes([q(10, 100, 1_000), q(12, 104, 2_000), q(11, 110, 3_000)], 0)
    [minute, day] = agg.forming(BTC)
    assert (minute.interval, minute.bar.c, minute.bar.h, minute.bar.v, minute.ticks) == (
        Interval.M1, 11, 12, 10, 3,
    )  # fmt: skip
    assert (day.interval, day.bar.t) == (Interval.D1, T)
    assert [u.interval for u in agg.take_updates()] == [Interval.M1, Interval.D1]
    assert agg.take_updates() == []
    agg.on_quote(q(13, 111, 4_000), 0)
    assert [u.bar.c for u in agg.take_updates()] == [13, 13]


def test_sessions_come_from_the_callable() -> None:
    custom = TradingSession.from_tradingview("0930-1600", "America/New_York")
    agg = BarAggregator(AggregatorConfig(intervals=(Interval.D1,)), lambda _: custom)
    agg.on_quote(q(10, 0, 15 * 3_600_000), 0)  # 2024-01-01 15:00 UTC = 10:00 New York
    [day] = agg.forming(BTC)
    assert day.bar.t == T + 14 * 3_600_000 + 30 * 60_000


def test_restore_refuses_a_snapshot_of_another_config() -> None:
    agg = BarAggregator(M1_ONLY)
    agg.on_quote(q(10, 0, 1_000), 0)
    with pytest.raises(ValueError, match="different aggregator config"):
        BarAggregator().restore(agg.snapshot())


def test_config_is_validated() -> None:
    with pytest.raises(ValueError, match="distinct"):
        AggregatorConfig(intervals=(Interval.M1, Interval.M1))
    with pytest.raises(ValueError, match="idle timeout"):
        AggregatorConfig(idle_timeout_ms=0)
