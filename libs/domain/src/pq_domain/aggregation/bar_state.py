"""The mutable state of one bar while it forms and while it may still be revised."""

from __future__ import annotations

from ..bar import Bar

Row = list[int | float]


class BarState:
    """OHLCV of one bucket. Rules (the same for in-order and late ticks):

    open = price of the tick with the smallest ts (ties: first arrival),
    close = price of the tick with the greatest ts (ties: last arrival),
    high/low = max/min price, v = sum of the ticks' volume contributions,
    n = tick count, rev = revision of the last BarCompleted (-1: none yet).
    """

    __slots__ = ("c", "c_ts", "end", "h", "idx", "l", "n", "o", "o_ts", "rev", "t", "v")

    def __init__(self, idx: int, t: int, end: int, price: float, ts: int, volume: float) -> None:
        self.idx = idx  # position of the interval in the aggregator's config
        self.t = t
        self.end = end
        self.o = self.h = self.l = self.c = price
        self.o_ts = self.c_ts = ts
        self.v = volume
        self.n = 1
        self.rev = -1

    def add(self, price: float, ts: int, volume: float) -> None:
        if price > self.h:
            self.h = price
        if price < self.l:
            self.l = price
        if ts < self.o_ts:
            self.o = price
            self.o_ts = ts
        if ts >= self.c_ts:
            self.c = price
            self.c_ts = ts
        self.v += volume
        self.n += 1

    def to_bar(self) -> Bar:
        return Bar(
            t=self.t,
            o=float(self.o),
            h=float(self.h),
            l=float(self.l),
            c=float(self.c),
            v=float(self.v),
        )

    def to_row(self) -> Row:
        return [
            *(self.t, self.end, self.o, self.h, self.l, self.c, self.v),
            *(self.n, self.o_ts, self.c_ts, self.rev),
        ]

    @classmethod
    def from_row(cls, idx: int, row: Row) -> BarState:
        t, end, o, h, l, c, v, n, o_ts, c_ts, rev = row
        b = cls(idx, int(t), int(end), o, int(o_ts), v)
        b.h, b.l, b.c, b.c_ts = h, l, c, int(c_ts)
        b.n, b.rev = int(n), int(rev)
        return b
