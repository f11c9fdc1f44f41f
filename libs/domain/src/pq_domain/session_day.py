"""One trading day of a session as epoch ms: when it opens, closes, and the next one opens.

A day is found from any instant: the session that opened last at or before it (local
calendar days, as `bucketing.open_date`). It trades in [open, close); [close, next_open)
is the span between two sessions (pre/post-market, a futures maintenance hour, nothing
for FX or 24x7 whose close is the next open). Keys use calendar days only (see
bucketing.py): `weekdays` matter only to `next_trading_open`/`previous_trading_day`,
which step over days the market does not trade.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from .session import TradingSession

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)
_DAY = timedelta(days=1)
_MAX_CLOSED_DAYS = 15  # longer than any weekend or holiday run a session describes


@dataclass(frozen=True, slots=True)
class SessionDay:
    open_date: date  # local calendar date of the open
    open_ms: int
    close_ms: int  # end of the day's last bar (<= next_open_ms)
    next_open_ms: int

    def trades_at(self, ts_ms: int) -> bool:
        return self.open_ms <= ts_ms < self.close_ms


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


def day_opened_on(day: date, session: TradingSession) -> SessionDay:
    """The session day opening on local date `day` (traded or not: see `trades_on`)."""
    opened = session_open_ms(day, session)
    following = session_open_ms(day + _DAY, session)
    if session.always_open or session.close_time <= session.open_time:
        close_date = day + _DAY  # overnight, 24x7 or a 24-hour day: closes the next day
    else:
        close_date = day
    local_close = datetime.combine(close_date, session.close_time, tzinfo=session.zone)
    closed = min((local_close - _EPOCH) // _MS, following)
    return SessionDay(day, opened, closed, following)


def session_day(ts_ms: int, session: TradingSession) -> SessionDay:
    """The session day holding `ts_ms`: opened at or before it, before the next open."""
    return day_opened_on(open_date(ts_ms, session), session)


def _traded(day: SessionDay, session: TradingSession) -> bool:
    traded = day.open_date + timedelta(days=session.trading_date_offset)
    return session.trades_on(traded.isoweekday())


def next_trading_day(day: SessionDay, session: TradingSession) -> SessionDay:
    """The first day after `day` whose trading date is one of the session's weekdays."""
    following = day_opened_on(day.open_date + _DAY, session)
    for _ in range(_MAX_CLOSED_DAYS):
        if _traded(following, session):
            return following
        following = day_opened_on(following.open_date + _DAY, session)
    return following


def previous_trading_day(day: SessionDay, session: TradingSession) -> SessionDay:
    """The last day before `day` whose trading date is one of the session's weekdays."""
    before = day_opened_on(day.open_date - _DAY, session)
    for _ in range(_MAX_CLOSED_DAYS):
        if _traded(before, session):
            return before
        before = day_opened_on(before.open_date - _DAY, session)
    return before
