"""Trading days: when each symbol's market is open, from its TradingView session.

A trading day opens on a local calendar date (`open_date`) and may close the next day
(overnight sessions like FX 17:00-17:00). Its open and close are `pq_domain`'s session day,
so its 1d key and the keys and ends of its intraday bars are the domain's. Holidays are not
modelled (every weekday of the session trades); half days close early (half_days.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from pq_domain.session_day import SessionDay, day_opened_on, open_date

from .half_days import early_close
from .universe import SymbolSpec

MINUTE_MS = 60_000
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class TradingDay:
    open_date: date  # local calendar date of the open
    open_ms: int
    close_ms: int
    session_day: SessionDay

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
    opened = day_opened_on(day, session)
    early = early_close(spec.half_days, traded)
    if early is not None:
        local = datetime.combine(traded, early, tzinfo=session.zone)
        opened = replace(opened, close_ms=int(local.astimezone(UTC).timestamp() * 1000))
    return TradingDay(day, opened.open_ms, opened.close_ms, opened)


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
