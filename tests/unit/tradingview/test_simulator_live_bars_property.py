"""Bars built live from the simulator's ticks (the domain aggregator, with the sessions the
bar builder assumes) and the simulator's history have the same keys, and the same OHLCV
wherever the live side saw every tick (the hours around a session's close and the next
open), for every symbol of the universe and every
interval, across DST changes (US and EU) and US half days."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pq_domain import (
    ALL_INTERVALS,
    AggregatorConfig,
    BarAggregator,
    Interval,
    Quote,
    Symbol,
    bucket_end,
    bucket_start,
    default_session,
)
from pq_domain.events import BarCompleted
from pq_tvsim.calendar import MINUTE_MS, TradingDay, trading_day_at, trading_day_opened_on
from pq_tvsim.market import SymbolMarket
from pq_tvsim.resolution import Resolution
from pq_tvsim.universe import load_universe

UNIVERSE = load_universe()
RESOLUTIONS = {"1m": "1", "5m": "5", "15m": "15", "1h": "60", "4h": "240"}
RESOLUTIONS |= {"1d": "1D", "1w": "1W", "1M": "1M"}
# Local open dates: US DST (Mar 10, Nov 3 2024), EU DST (Mar 31, Oct 27 2024), US half days
# (Jul 3, Nov 29, Dec 24 2024), India (no DST) and an ordinary week.
ANCHORS = [date.fromisoformat(d) for d in ("2024-03-07", "2024-03-08", "2024-03-28",
    "2024-10-24", "2024-10-31", "2024-11-01", "2024-07-02", "2024-11-28", "2024-12-23",
    "2025-03-04")]  # fmt: skip
FLUSH = 10**15
SPAN_MS = 5 * 3_600_000


@cache
def market(symbol: str, seed: int) -> SymbolMarket:
    return SymbolMarket(UNIVERSE[symbol], seed)


def two_trading_days(m: SymbolMarket, anchor: date) -> tuple[TradingDay, TradingDay]:
    days: list[TradingDay] = []
    current = anchor
    while len(days) < 2:
        day = trading_day_opened_on(m.spec, current)
        if day is not None:
            days.append(day)
        current += timedelta(days=1)
    return days[0], days[1]


def feed_spans(first: TradingDay, second: TradingDay) -> list[tuple[int, int]]:
    """The last hours of one trading day and the first of the next: the session edges, where
    the last bar is cut at the close (a half day's early one) and the grid restarts at the
    next open (after a DST change)."""
    return [
        (max(first.open_ms, first.close_ms - SPAN_MS), first.close_ms),
        (second.open_ms, min(second.close_ms, second.open_ms + SPAN_MS)),
    ]


def quotes_of(m: SymbolMarket, symbol: Symbol, spans: list[tuple[int, int]]) -> list[Quote]:
    """The ticks in `spans` that make each minute's bar (its first, high, low and last), as
    the simulator's quote stream reports them (with the day's total volume): the bars of
    every interval are those of all the ticks, at a tenth of the cost."""
    spec = m.spec
    out: list[Quote] = []
    for start, end in spans:
        day = trading_day_at(spec, start)
        assert day is not None
        for index in range((start - day.open_ms) // MINUTE_MS, (end - day.open_ms) // MINUTE_MS):
            before = m.day_volume_before(day, index) if spec.has_volume else 0.0
            ticks = m.minute_ticks(day, index)
            prices = [tick.price for tick in ticks]
            high, low = prices.index(max(prices)), prices.index(min(prices))
            for tick in (ticks[k] for k in sorted({0, high, low, len(ticks) - 1})):
                volume = round(before + tick.minute_volume, spec.volume_decimals)
                out.append(Quote(symbol, tick.price, volume if spec.has_volume else 0.0, tick.t))
    return out


def live_bars(quotes: list[Quote]) -> dict[tuple[Interval, int], BarCompleted]:
    agg = BarAggregator(AggregatorConfig(), lambda s: default_session(s.exchange, s.code))
    events = agg.on_quotes(quotes, 0) + agg.on_clock(FLUSH)
    assert agg.off_session == 0  # the simulator trades only inside its sessions
    return {(e.interval, e.bar.t): e for e in events}  # the last revision wins


@pytest.mark.parametrize("symbol", sorted(UNIVERSE))
@settings(max_examples=3, deadline=None)
@given(st.sampled_from(ANCHORS), st.sampled_from([7, 11]))
def test_live_built_bars_and_history_share_keys(symbol: str, anchor: date, seed: int) -> None:
    m = market(symbol, seed)
    first, second = two_trading_days(m, anchor)
    spans = feed_spans(first, second)
    quotes = quotes_of(m, Symbol.parse(symbol), spans)
    live = live_bars(quotes)
    first_ts = quotes[0].ts
    session = default_session(*symbol.split(":"))
    for interval in ALL_INTERVALS:
        resolution = Resolution.parse(RESOLUTIONS[interval.value])
        keys = sorted(t for (i, t) in live if i is interval)
        low, high = bucket_start(interval, first_ts, session), spans[-1][1]
        count = (high - low) // interval.millis + 2 if interval.is_intraday else len(keys) + 2
        history = m.bars_before(resolution, high - 1, count).rows()  # as of the last tick fed
        wanted = {row[0]: row for row in history if low <= row[0] < high}
        assert keys == sorted(wanted), (symbol, interval.value)
        opening = bucket_start(interval, first_ts, session)  # its first tick's volume is unseen
        for t in keys:
            row, bar = wanted[t], live[(interval, t)].bar
            end = bucket_end(interval, t, session)
            if not any(a <= t and end <= b for a, b in spans):
                continue  # a bar with ticks outside the spans fed: its key only
            assert (bar.o, bar.h, bar.l, bar.c) == row[1:5], (symbol, interval.value, t)
            if t != opening:
                assert bar.v == pytest.approx(row[5], rel=1e-9, abs=1e-6), (symbol, interval, t)


@pytest.mark.parametrize("symbol", sorted(UNIVERSE))
def test_the_bar_builders_default_sessions_are_the_simulators(symbol: str) -> None:
    spec = UNIVERSE[symbol].trading_session
    assumed = default_session(*symbol.split(":"))
    zone = {"Etc/UTC": "UTC"}.get(spec.timezone, spec.timezone)
    assert (assumed.timezone, assumed.open_time, assumed.close_time) == (
        zone, spec.open_time, spec.close_time,
    ) or (assumed.always_open and spec.always_open)  # fmt: skip
