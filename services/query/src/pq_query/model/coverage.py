"""The range of one (symbol, interval) the bars model holds, as GET /v1/bars reports it.

`[start, end)`: `start` is the open time of the first bar held, `end` the open time of
the last one plus the interval's shortest length (a day across a DST change is 23 h, a
month 28 days), so that `end` never claims a bar that is not held: a request whose
`[start, end)` lies inside it is fully answered by what is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from pq_domain import Interval
from pq_domain.instants import format_instant

from .symbols import SymbolView

_HOUR = 3_600_000
_SHORTEST_CALENDAR_MS = {
    Interval.D1: 24 * _HOUR - _HOUR,
    Interval.W1: 7 * 24 * _HOUR - _HOUR,
    Interval.MN1: 28 * 24 * _HOUR - _HOUR,
}


@dataclass(frozen=True, slots=True)
class CoveredRange:
    start: int  # epoch ms, inclusive
    end: int  # epoch ms, exclusive
    bars: int

    def header(self) -> str:
        """The `Pq-Coverage` header value: two RFC 3339 instants."""
        return f"{format_instant(self.start)}/{format_instant(self.end)}"


def shortest_length_ms(interval: Interval) -> int:
    return interval.millis if interval.is_intraday else _SHORTEST_CALENDAR_MS[interval]


def covered_range(view: SymbolView | None, interval: str) -> CoveredRange | None:
    """None when the model holds no bar of that symbol and interval."""
    if view is None:
        return None
    for c in view.coverage:
        if c.interval == interval:
            end = c.last_t + shortest_length_ms(Interval(interval))
            return CoveredRange(c.first_t, end, c.bars)
    return None
