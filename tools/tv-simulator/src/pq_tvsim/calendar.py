"""Trading days: when each symbol's market is open, from its TradingView session.

A trading day opens on a local calendar date (`open_date`) and may close the next day
(overnight sessions like FX 17:00-17:00). Its 1d bar key is its open, as `pq_domain.bucketing`
computes it. Holidays are not modelled: every weekday of the session trades.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from pq_domain.bucketing import open_date, session_open_ms

from .universe import SymbolSpec

MINUTE_MS = 60_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class TradingDay:
    open_date: date  # local calendar date of the open
    open_ms: int
    close_ms: int

    @property
    def minutes(self) -> int:
        return (self.close_ms - self.open_ms) // MINUTE_MS

    def contains(self, ts_ms: int) -> bool:
        return self.open_ms <= ts_ms < self.close_ms


def trading_day_opened_on(spec: SymbolSpec, day: date) -> TradingDay | None:
    """The trading day that opens on local date `day`, or None when the market stays shut."""
    session = spec.trading_session
    if day < spec.history_start:
        return None
    traded = day + timedelta(days=session.trading_date_offset)
    if not session.trades_on(traded.isoweekday()):
        return None
    opened = session_open_ms(day, session)
    if session.always_open or session.close_time <= session.open_time:
        close_date = day + _ONE_DAY
    else:
        close_date = day
    local_close = datetime.combine(close_date, session.close_time, tzinfo=session.zone)
    closed = (local_close - _EPOCH) // timedelta(milliseconds=1)
    return TradingDay(day, opened, closed)


def open_date_of(spec: SymbolSpec, ts_ms: int) -> date:
    """Local date of the latest session open at or before `ts_ms` (open or not)."""
    return open_date(ts_ms, spec.trading_session)


def trading_day_at(spec: SymbolSpec, ts_ms: int) -> TradingDay | None:
    """The trading day whose session contains `ts_ms`, if the market is open then."""
    day = trading_day_opened_on(spec, open_date_of(spec, ts_ms))
    return day if day is not None and day.contains(ts_ms) else None


def latest_trading_day(spec: SymbolSpec, ts_ms: int) -> TradingDay | None:
    """The newest trading day that opened at or before `ts_ms` (open now or already closed)."""
    day = open_date_of(spec, ts_ms)
    for _ in range(15):  # the longest closure in any session is a weekend
        found = trading_day_opened_on(spec, day)
        if found is not None and found.open_ms <= ts_ms:
            return found
        day -= _ONE_DAY
    return None


def previous_trading_day(spec: SymbolSpec, day: TradingDay) -> TradingDay | None:
    current = day.open_date - _ONE_DAY
    while current >= spec.history_start:
        found = trading_day_opened_on(spec, current)
        if found is not None:
            return found
        current -= _ONE_DAY
    return None
