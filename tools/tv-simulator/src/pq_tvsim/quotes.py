"""Quote fields (`qsd` values) of a symbol at a tick, and the ticks between two event times."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .calendar import (
    MINUTE_MS,
    TradingDay,
    latest_trading_day,
    previous_trading_day,
    trading_day_at,
)
from .market import SymbolMarket
from .ticks import Tick, ticks_until

MAX_MINUTES_PER_STEP = 240  # after a long stall, skip older ticks rather than flood the client


def static_fields(market: SymbolMarket, *, delayed: bool) -> dict[str, Any]:
    spec = market.spec
    return {
        "pro_name": spec.symbol,
        "original_name": spec.symbol,
        "short_name": spec.code,
        "description": spec.description,
        "exchange": spec.exchange,
        "type": spec.type,
        "currency_code": spec.currency,
        "pricescale": spec.pricescale,
        "minmov": spec.minmov,
        "minmove2": 0,
        "fractional": False,
        "is_tradable": True,
        "timezone": spec.timezone,
        "update_mode": f"delayed_streaming_{spec.delay_s}" if delayed else "streaming",
    }


def live_fields(
    market: SymbolMarket, day: TradingDay, index: int, ticks: list[Tick], *, open_now: bool
) -> dict[str, Any]:
    """Fields after the last of `ticks` (the ticks of minute `index` so far)."""
    spec, minutes = market.spec, market.path.day_minutes(day)
    last = ticks[-1]
    size = spec.tick_size
    spread = 1 + spec.key % 3
    steps = round(last.price / size)
    prev_close = market.previous_close(day)
    prices = [tick.price for tick in ticks]
    high, low = max(prices), min(prices)
    if index:
        high = max(high, float(minutes.h[:index].max()))
        low = min(low, float(minutes.l[:index].min()))
    fields: dict[str, Any] = {
        "lp": last.price,
        "lp_time": last.t / 1000,
        "bid": round((steps - spread) * size, spec.price_decimals),
        "ask": round((steps + spread) * size, spec.price_decimals),
        "ch": round(last.price - prev_close, 10),
        "chp": round((last.price / prev_close - 1) * 100, 2),
        "open_price": float(minutes.o[0]),
        "high_price": high,
        "low_price": low,
        "prev_close_price": prev_close,
        "current_session": "market" if open_now else "out_of_session",
    }
    if spec.has_volume:
        before = market.day_volume_before(day, index)
        fields["volume"] = round(before + last.minute_volume, spec.volume_decimals)
    return fields


def fields_at(market: SymbolMarket, now_ms: int) -> dict[str, Any]:
    """The live fields as of `now_ms`: the last tick so far, or the last session's close."""
    day = latest_trading_day(market.spec, now_ms)
    if day is None:
        return {}
    if day.contains(now_ms):
        index = (now_ms - day.open_ms) // MINUTE_MS
        ticks = ticks_until(market.minute_ticks(day, index), now_ms)
        return live_fields(market, day, index, ticks, open_now=True)
    index = day.minutes - 1
    return live_fields(market, day, index, market.minute_ticks(day, index), open_now=False)


def ticks_between(
    market: SymbolMarket, after_ms: int, until_ms: int
) -> Iterator[tuple[TradingDay, int, list[Tick]]]:
    """Each tick in (after_ms, until_ms] as (day, minute index, the minute's ticks up to it)."""
    days: list[TradingDay] = []
    day = latest_trading_day(market.spec, until_ms)
    while day is not None and day.close_ms > after_ms and len(days) < 3:
        days.append(day)
        day = previous_trading_day(market.spec, day)
    budget = MAX_MINUTES_PER_STEP
    for day in reversed(days):
        first = max(0, (after_ms + 1 - day.open_ms) // MINUTE_MS)
        last = min(day.minutes - 1, (until_ms - day.open_ms) // MINUTE_MS)
        first = max(first, last - budget + 1)
        budget -= max(0, last - first + 1)
        for index in range(first, last + 1):
            ticks = market.minute_ticks(day, index)
            for k, tick in enumerate(ticks):
                if after_ms < tick.t <= until_ms:
                    yield day, index, ticks[: k + 1]


def next_tick_ms(market: SymbolMarket, after_ms: int) -> int | None:
    """Event time of the first tick after `after_ms` in the same trading day; None when the
    market is shut then or the day ends first (the update loop's own cadence covers those)."""
    day = trading_day_at(market.spec, after_ms)
    if day is None:
        return None
    index = (after_ms - day.open_ms) // MINUTE_MS
    for tick in market.minute_ticks(day, index):
        if tick.t > after_ms:
            return tick.t
    nxt = day.open_ms + (index + 1) * MINUTE_MS  # the next minute's first tick is at its open
    return nxt if nxt < day.close_ms else None
