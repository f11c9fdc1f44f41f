"""Walking one interval's bar keys on a session: the key after or before a key.

For readers that enumerate buckets (`fill=prev`, the rebuild's key check): intraday
keys step by the interval inside a session day, then jump from the day's last bar to
the next *trading* day's open, over the span between sessions and over days whose
trading date is not one of the session's weekdays (no bar is expected there). The
session day of the last step is kept, so walking a day costs integer arithmetic.
"""

from __future__ import annotations

from .bucketing import bucket_bounds, grid_bounds
from .interval import Interval
from .session import TradingSession
from .session_day import SessionDay, next_trading_day, previous_trading_day, session_day


class BucketGrid:
    __slots__ = ("_day", "interval", "length", "session")

    def __init__(self, interval: Interval, session: TradingSession) -> None:
        self.interval = interval
        self.session = session
        self.length = interval.millis if interval.is_intraday else 0
        self._day: SessionDay | None = None

    def day(self, ts_ms: int) -> SessionDay:
        """The session day holding `ts_ms` (cached)."""
        day = self._day
        if day is None or not day.open_ms <= ts_ms < day.next_open_ms:
            day = self._day = session_day(ts_ms, self.session)
        return day

    def bounds(self, ts_ms: int) -> tuple[int, int]:
        """`bucket_bounds` of the grid's interval and session."""
        if not self.length:
            return bucket_bounds(self.interval, ts_ms, self.session)
        return grid_bounds(self.length, ts_ms, self.day(ts_ms))

    def is_key(self, t: int) -> bool:
        """True when a bar may be keyed `t`: a bucket's open, inside a session."""
        if not self.length:
            return bucket_bounds(self.interval, t, self.session)[0] == t
        return self.day(t).trades_at(t) and self.bounds(t)[0] == t

    def next_key(self, t: int) -> int:
        """The key of the bar after the one keyed `t`."""
        if not self.length:
            return bucket_bounds(self.interval, t, self.session)[1]
        day = self.day(t)
        end = grid_bounds(self.length, t, day)[1]
        if end < day.close_ms:
            return end
        return next_trading_day(day, self.session).open_ms

    def previous_key(self, t: int) -> int:
        """The key of the bar before the one keyed `t`."""
        if not self.length:
            return bucket_bounds(self.interval, t - 1, self.session)[0]
        day = self.day(t)
        if t > day.open_ms:
            return grid_bounds(self.length, min(t, day.close_ms) - 1, day)[0]
        before = previous_trading_day(day, self.session)
        return grid_bounds(self.length, before.close_ms - 1, before)[0]
