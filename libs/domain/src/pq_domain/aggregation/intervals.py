"""Per-session interval table: bucket bounds without per-call dispatch on the interval.

Intraday bounds come from `bucketing.grid_bounds` on the session day, which the table
keeps: while quotes stay within one trading day (every new bucket but the first of a
day), a bound costs integer arithmetic, no time-zone work.
"""

from __future__ import annotations

from datetime import date

from ..bucketing import bucket_bounds, grid_bounds
from ..interval import Interval
from ..session import TradingSession
from ..session_day import SessionDay, session_day

_NO_DAY = SessionDay(date.min, 0, 0, 0)  # holds no instant: the first lookup computes one


class IntervalTable:
    """The aggregator's intervals with one session, precomputed."""

    __slots__ = ("day", "intervals", "lengths", "session")

    def __init__(self, intervals: tuple[Interval, ...], session: TradingSession) -> None:
        self.intervals = intervals
        self.session = session
        # Intraday length in ms, or 0 for calendar intervals (1d 1w 1M).
        self.lengths = tuple(i.millis if i.is_intraday else 0 for i in intervals)
        self.day = _NO_DAY  # the session day of the last lookup

    def day_of(self, ts: int) -> SessionDay:
        day = self.day
        if not day.open_ms <= ts < day.next_open_ms:
            day = self.day = session_day(ts, self.session)
        return day

    def trades_at(self, ts: int) -> bool:
        """False between a session's close and the next open: no bar holds such a tick."""
        day = self.day
        if day.open_ms <= ts < day.close_ms:  # the cached day's session: no lookup
            return True
        day = self.day_of(ts)
        return day.open_ms <= ts < day.close_ms

    def bounds(self, idx: int, ts: int) -> tuple[int, int]:
        """[start, end) of the bucket of interval number `idx` containing `ts`."""
        length = self.lengths[idx]
        if length:
            return grid_bounds(length, ts, self.day_of(ts))
        return bucket_bounds(self.intervals[idx], ts, self.session)
