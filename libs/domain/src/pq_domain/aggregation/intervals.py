"""Per-symbol interval table: bucket bounds without per-call dispatch on the interval."""

from __future__ import annotations

from ..bucketing import bucket_bounds
from ..interval import Interval
from ..session import TradingSession


class IntervalTable:
    """The aggregator's intervals with one symbol's session, precomputed."""

    __slots__ = ("intervals", "lengths", "session")

    def __init__(self, intervals: tuple[Interval, ...], session: TradingSession) -> None:
        self.intervals = intervals
        self.session = session
        # Intraday length in ms, or 0 for calendar intervals (1d 1w 1M).
        self.lengths = tuple(i.millis if i.is_intraday else 0 for i in intervals)

    def bounds(self, idx: int, ts: int) -> tuple[int, int]:
        """[start, end) of the bucket of interval number `idx` containing `ts`."""
        length = self.lengths[idx]
        if length:
            start = ts - ts % length
            return start, start + length
        return bucket_bounds(self.intervals[idx], ts, self.session)
