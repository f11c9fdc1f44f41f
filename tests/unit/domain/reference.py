"""An independent batch reference for BarAggregator: sort by event time, group by bucket.

It applies the documented rules directly to the whole stream of each symbol:
a quote's volume contribution and watermark come from the quotes that arrived
before it; a (quote, interval) pair is dropped when the watermark after the
quote has passed the bucket's end + grace + lateness; a quote between a session's
close and the next open is in no bar (it still moves the watermark and volume);
a bar's final revision is the number of BarCompleted it got minus one: one when it closed (if it had
ticks by then) plus one per tick accepted after its close.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pq_domain import (
    AggregatorConfig,
    Interval,
    Quote,
    Symbol,
    TradingSession,
    bucket_bounds,
    session_day,
)


@dataclass(frozen=True)
class RefBar:
    o: float
    h: float
    l: float
    c: float
    v: float
    ticks: int
    revision: int


Key = tuple[Symbol, Interval, int]


@dataclass
class Reference:
    bars: dict[Key, RefBar]
    dropped_late: int


def reference_bars(
    quotes: Sequence[Quote],
    config: AggregatorConfig,
    session_for: Callable[[Symbol], TradingSession],
) -> Reference:
    by_symbol: dict[Symbol, list[Quote]] = defaultdict(list)
    for q in quotes:
        by_symbol[q.symbol].append(q)
    bars: dict[Key, RefBar] = {}
    dropped = 0
    for symbol, qs in by_symbol.items():
        session = session_for(symbol)
        watermarks, contributions = _arrival_pass(qs)
        for interval in config.intervals:
            groups: dict[tuple[int, int], list[int]] = defaultdict(list)
            for k, q in enumerate(qs):
                if not session_day(q.ts, session).trades_at(q.ts):
                    continue  # between two sessions: in no bar (counted as off_session)
                start, end = bucket_bounds(interval, q.ts, session)
                if watermarks[k] >= end + config.grace_ms + config.lateness_ms:
                    dropped += 1
                else:
                    groups[(start, end)].append(k)
            for (start, end), ks in groups.items():
                by_time = sorted(ks, key=lambda k: (qs[k].ts, k))
                closed_at = next(
                    (k for k, wm in enumerate(watermarks) if wm >= end + config.grace_ms), len(qs)
                )
                before = sum(1 for k in ks if k < closed_at)
                bars[(symbol, interval, start)] = RefBar(
                    o=qs[by_time[0]].price,
                    h=max(qs[k].price for k in ks),
                    l=min(qs[k].price for k in ks),
                    c=qs[by_time[-1]].price,
                    v=sum(contributions[k] for k in ks),
                    ticks=len(ks),
                    revision=(1 if before else 0) + (len(ks) - before) - 1,
                )
    return Reference(bars, dropped)


def _arrival_pass(qs: Sequence[Quote]) -> tuple[list[int], list[float]]:
    """Watermark after each quote, and each quote's volume contribution."""
    watermarks: list[int] = []
    contributions: list[float] = []
    watermark: int | None = None
    previous = 0.0
    for q in qs:
        if watermark is None:
            contribution = 0.0  # the first quote's total belongs to unseen bars
        elif q.ts >= watermark:
            contribution = q.volume - previous if q.volume >= previous else q.volume
        else:
            contribution = 0.0  # late: already counted by a later quote's total
        if watermark is None or q.ts >= watermark:
            watermark, previous = q.ts, q.volume
        watermarks.append(watermark)
        contributions.append(contribution)
    return watermarks, contributions
