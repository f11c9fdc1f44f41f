"""One symbol's aggregation state and its slow path (new buckets, late ticks, closes).

The aggregator's fast path only touches the *segment*: the running high, low,
close, volume and tick count of in-order ticks that fall in the current bucket
of every interval and close nothing (`wm <= ts < limit`). The segment is folded
into the current bars before anything else looks at or changes them, so the
fast path costs a handful of attribute writes per quote whatever the number of
intervals.
"""

from __future__ import annotations

from ..events.bars import BarCompleted
from ..symbol import Symbol
from .bar_state import BarState
from .book import BEFORE, NEVER, BarBook
from .config import AggregatorConfig, Counters
from .intervals import IntervalTable

INF = float("inf")


class SymbolState(BarBook):
    """A symbol's watermark, volume reference, segment and current buckets."""

    __slots__ = (
        "be",
        "bs",
        "last_arrival",
        "limit",
        "seg_c",
        "seg_h",
        "seg_l",
        "seg_n",
        "seg_v",
        "touched",
        "vol_ref",
        "wm",
        "wm_arrival",
    )

    def __init__(
        self, symbol: Symbol, table: IntervalTable, config: AggregatorConfig, counters: Counters
    ) -> None:
        super().__init__(symbol, table, config, counters)
        n = len(self.cur)
        self.wm = BEFORE  # event-time watermark: max ts seen (BEFORE: no quote yet)
        self.wm_arrival = BEFORE  # wall time when the watermark last advanced
        self.last_arrival = BEFORE  # wall time of the last late quote
        self.vol_ref: float = 0.0  # cumulative volume of the last in-order quote
        self.limit = BEFORE  # fast path while wm <= ts < limit
        self.seg_h = -INF
        self.seg_l = INF
        self.seg_c = 0.0
        self.seg_v: float = 0.0
        self.seg_n = 0
        self.bs = [NEVER] * n  # current bucket [bs, be) per interval (the watermark's)
        self.be = [BEFORE] * n
        self.touched = False  # received a quote since the last take_updates()

    def fold(self) -> None:
        """Apply the segment's ticks to the current bars."""
        n = self.seg_n
        if not n:
            return
        h, l, c, v, ts = self.seg_h, self.seg_l, self.seg_c, self.seg_v, self.wm
        for b in self.cur:
            assert b is not None  # a segment exists only while every current bar forms
            if h > b.h:
                b.h = h
            if l < b.l:
                b.l = l
            b.c = c
            b.c_ts = ts
            b.v += v
            b.n += n
        self.seg_h, self.seg_l, self.seg_v, self.seg_n = -INF, INF, 0.0, 0

    def ingest(
        self, price: float, volume: float, ts: int, now: int, out: list[BarCompleted]
    ) -> None:
        """The slow path for one quote; appends the BarCompleted events it causes."""
        self.fold()
        if not self.table.trades_at(ts):
            self._off_session(volume, ts, now, out)
            return
        if ts < self.wm:
            self._late(price, ts, now, out)
            return
        if self.wm == BEFORE:
            delta: float = 0  # the first quote's total belongs to bars we never saw
        elif volume >= self.vol_ref:
            delta = volume - self.vol_ref
        else:
            delta = volume  # a lower total: a new day started, count its total
        self._advance(volume, ts, now, out)
        table, bs, be, cur = self.table, self.bs, self.be, self.cur
        for i in range(len(cur)):
            start = bs[i]
            if not start <= ts < be[i]:
                start, be[i] = table.bounds(i, ts)
                bs[i] = start
            b = self.find_forming(i, start)  # cur[i], or opened by a late tick (_late)
            if b is not None:
                cur[i] = b
                b.add(price, ts, delta)
                continue
            revised = self.closed.get((i, start))  # closed early by the idle timeout
            if revised is not None:
                cur[i] = None
                revised.add(price, ts, delta)
                self.emit(revised, out)
            else:
                cur[i] = self.open_bar(i, start, be[i], price, ts, delta)
        self.set_limit()

    def _off_session(self, volume: float, ts: int, now: int, out: list[BarCompleted]) -> None:
        """A tick between two sessions is in no bar; in order, it still moves event time
        (closing the session's last bars) and the volume reference. Such ticks take this
        slow path one by one: they are rare (TradingView keeps `lp` still out of session)."""
        self.counters.off_session += 1
        if ts < self.wm:
            self.last_arrival = now
            return
        self._advance(volume, ts, now, out)
        self.limit = BEFORE

    def _advance(self, volume: float, ts: int, now: int, out: list[BarCompleted]) -> None:
        """Event time moves on to `ts` (with the volume total it brought): the bars it
        ends close, the closed ones past their lateness are evicted."""
        self.vol_ref = volume
        self.wm = ts
        self.wm_arrival = now
        if ts >= self.next_close or ts >= self.next_evict:
            self.close_through(ts, out)
            self.evict(ts)

    def _late(self, price: float, ts: int, now: int, out: list[BarCompleted]) -> None:
        """A tick older than the watermark: no volume, revises or is dropped."""
        self.last_arrival = now
        wm, grace = self.wm, self.grace
        for i in range(len(self.cur)):
            start, end = self.bs[i], self.be[i]
            if not start <= ts < end:
                start, end = self.table.bounds(i, ts)
            if wm >= end + grace + self.lateness:
                self.counters.dropped_late += 1
                continue
            b = self.find_forming(i, start)
            if b is not None:
                b.add(price, ts, 0)
                continue
            b = self.closed.get((i, start))
            if b is not None:
                b.add(price, ts, 0)
            elif wm < end + grace:  # a bucket still within grace that had no tick
                self.open_bar(i, start, end, price, ts, 0)
                continue
            else:  # a closed bucket that had no tick: its first completion
                b = BarState(i, start, end, price, ts, 0)
                self.keep_closed(b)
            self.emit(b, out)
        self.set_limit()

    def close_idle(self, now: int, idle_timeout: int, out: list[BarCompleted]) -> None:
        """Close bars that ended (plus grace) before the extrapolated event time."""
        if not self.forming or now - max(self.wm_arrival, self.last_arrival) < idle_timeout:
            return
        horizon = self.wm + (now - self.wm_arrival)
        if horizon >= self.next_close:
            self.fold()
            self.close_through(horizon, out)
            self.set_limit()

    def set_limit(self) -> None:
        """Where the fast path stops: a bucket edge, a close or an eviction."""
        if None in self.cur:
            self.limit = BEFORE
        else:
            self.limit = min(min(self.be), self.next_close, self.next_evict)
