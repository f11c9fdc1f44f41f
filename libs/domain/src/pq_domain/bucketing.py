"""Bucket boundaries of bars: which bar a timestamp belongs to (epoch ms UTC).

- Intraday intervals (1m 5m 15m 1h 4h) are UTC multiples of their length:
  pure integer arithmetic, `ts - ts % length`.
- 1d starts at the session open in the exchange's zone (`TradingSession`):
  the bucket of `ts` is [latest open <= ts, next open). A 24x7 day opens at
  local midnight; an FX day (17:00 New York) at 22:00 UTC the day before in
  winter, 21:00 UTC in summer; a NYSE day at 09:30 New York.
- 1w starts at the open of the trading date that is the Monday of the week
  (FX: Sunday 17:00 New York); 1M at the open of the month's first calendar day
  as trading date (FX June: May 31 17:00 New York).

Keys use calendar days only, never `weekdays` or holidays, so that any ts has
exactly one bucket and the key is computable without a holiday calendar. DST is
handled by the zone: the open is the same local time on both sides of a change.
A bucket ends where the next one starts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from .interval import Interval
from .session import UTC_24X7, TradingSession

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)
_DAY = timedelta(days=1)


def session_open_ms(open_date: date, session: TradingSession) -> int:
    """Epoch ms of the session opening on the local calendar date `open_date`."""
    local = datetime.combine(open_date, session.open_time, tzinfo=session.zone)
    return (local - _EPOCH) // _MS


def open_date(ts_ms: int, session: TradingSession) -> date:
    """Local calendar date on which the session containing `ts_ms` opened."""
    local = (_EPOCH + timedelta(milliseconds=ts_ms)).astimezone(session.zone)
    day = local.date()
    if ts_ms < session_open_ms(day, session):
        return day - _DAY
    return day


def trading_date(ts_ms: int, session: TradingSession) -> date:
    """The trading date of the session containing `ts_ms` (overnight: day after the open)."""
    return open_date(ts_ms, session) + timedelta(days=session.trading_date_offset)


def bucket_bounds(
    interval: Interval, ts_ms: int, session: TradingSession = UTC_24X7
) -> tuple[int, int]:
    """[start, end) in epoch ms of the bar of `interval` containing `ts_ms`."""
    if interval.is_intraday:
        length = interval.millis
        start = ts_ms - ts_ms % length
        return start, start + length
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
    if interval.is_intraday:
        return ts_ms - ts_ms % interval.millis
    return bucket_bounds(interval, ts_ms, session)[0]


def bucket_end(interval: Interval, ts_ms: int, session: TradingSession = UTC_24X7) -> int:
    """Epoch ms at which the next bar opens (the bar's exclusive end)."""
    return bucket_bounds(interval, ts_ms, session)[1]
