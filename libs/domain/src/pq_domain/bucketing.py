"""Bucket boundaries of bars: which bar a timestamp belongs to (epoch ms UTC).

- Intraday intervals (1m 5m 15m 1h 4h, and any length in ms) align to the session
  open of the trading day holding the timestamp (`session_day.py`), as TradingView
  keys them: the bars of a day are [open + k * length, open + (k + 1) * length), the
  last one cut at the session close (a shorter bar, still keyed by its open). So a US
  stock's 1h bars open 09:30 ... 15:30 New York (the last one 30 minutes long), FX 4h
  bars 17:00, 21:00, 01:00 ... New York, 24x7 crypto at UTC multiples. A session in
  several segments has one open and one close (`TradingSession.from_tradingview`): its
  bars align to the first segment's open. The grid counts elapsed milliseconds from the
  open: within a day that spans a DST change (none of the shipped sessions trades across
  one) the wall-clock labels shift by the hour, but bars never overlap or leave holes.
- Between the close and the next open (pre/post-market, a futures maintenance hour)
  there is no intraday bar: that span is returned as one bucket [close, next_open), so
  every instant still has exactly one bucket, but no bar is keyed by it (`grid_bounds`
  callers that build bars check `SessionDay.trades_at`).
- 1d starts at the session open in the exchange's zone (`TradingSession`):
  the bucket of `ts` is [latest open <= ts, next open). A 24x7 day opens at
  local midnight; an FX day (17:00 New York) at 22:00 UTC the day before in
  winter, 21:00 UTC in summer; a NYSE day at 09:30 New York.
- 1w starts at the open of the trading date that is the Monday of the week
  (FX: Sunday 17:00 New York); 1M at the open of the month's first calendar day
  as trading date (FX June: May 31 17:00 New York).

Keys use calendar days only, never `weekdays` or holidays, so that any ts has
exactly one bucket and the key is computable without a holiday calendar: a half
day changes only where its last bar ends, never a key. DST is handled by the zone:
the open is the same local time on both sides of a change. A bucket ends where the
next one starts, except the last bar of a session, which ends at the close.
"""

from __future__ import annotations

from datetime import date, timedelta

from .interval import Interval
from .session import UTC_24X7, TradingSession
from .session_day import SessionDay, open_date, session_day, session_open_ms

_DAY = timedelta(days=1)

__all__ = [
    "bucket_bounds",
    "bucket_end",
    "bucket_start",
    "grid_bounds",
    "grid_starts",
    "intraday_bounds",
    "open_date",
    "session_open_ms",
    "trading_date",
]


def trading_date(ts_ms: int, session: TradingSession) -> date:
    """The trading date of the session containing `ts_ms` (overnight: day after the open)."""
    return open_date(ts_ms, session) + timedelta(days=session.trading_date_offset)


def grid_bounds(length_ms: int, ts_ms: int, day: SessionDay) -> tuple[int, int]:
    """[start, end) of the bar of `length_ms` holding `ts_ms` on `day` (which holds `ts_ms`);
    [close, next_open) when `ts_ms` lies between the day's close and the next open."""
    close = day.close_ms
    if ts_ms >= close:
        return close, day.next_open_ms
    start = ts_ms - (ts_ms - day.open_ms) % length_ms
    end = start + length_ms
    return start, end if end < close else close


def grid_starts(length_ms: int, day: SessionDay) -> range:
    """The keys of `day`'s bars of `length_ms`, ascending."""
    return range(day.open_ms, day.close_ms, length_ms)


def intraday_bounds(
    length_ms: int, ts_ms: int, session: TradingSession = UTC_24X7
) -> tuple[int, int]:
    """`grid_bounds` on the session day holding `ts_ms`."""
    return grid_bounds(length_ms, ts_ms, session_day(ts_ms, session))


def bucket_bounds(
    interval: Interval, ts_ms: int, session: TradingSession = UTC_24X7
) -> tuple[int, int]:
    """[start, end) in epoch ms of the bar of `interval` containing `ts_ms`."""
    if interval.is_intraday:
        return intraday_bounds(interval.millis, ts_ms, session)
    opened = open_date(ts_ms, session)
    if interval is Interval.D1:
        return session_open_ms(opened, session), session_open_ms(opened + _DAY, session)
    shift = timedelta(days=session.trading_date_offset)
    traded = opened + shift
    if interval is Interval.W1:
        first = traded - timedelta(days=traded.weekday())
        following = first + timedelta(days=7)
    else:
        first = traded.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
    return session_open_ms(first - shift, session), session_open_ms(following - shift, session)


def bucket_start(interval: Interval, ts_ms: int, session: TradingSession = UTC_24X7) -> int:
    """Epoch ms at which the bar of `interval` containing `ts_ms` opens: its key `t`."""
    return bucket_bounds(interval, ts_ms, session)[0]


def bucket_end(interval: Interval, ts_ms: int, session: TradingSession = UTC_24X7) -> int:
    """Epoch ms at which the bar ends (the next bar opens, or the session closes)."""
    return bucket_bounds(interval, ts_ms, session)[1]
