"""The bars of one symbol: which exist, which are forming, when they close and are forgotten."""

from __future__ import annotations

from ..events.bars import BarCompleted
from ..symbol import Symbol
from .bar_state import BarState
from .config import AggregatorConfig, Counters
from .intervals import IntervalTable

NEVER = 1 << 62  # a time after every real one
BEFORE = -NEVER  # a time before every real one


class BarBook:
    """Forming bars close at end + grace; closed ones are kept until end + grace + lateness."""

    __slots__ = (
        "closed",
        "counters",
        "cur",
        "forming",
        "grace",
        "lateness",
        "next_close",
        "next_evict",
        "symbol",
        "table",
    )

    def __init__(
        self, symbol: Symbol, table: IntervalTable, config: AggregatorConfig, counters: Counters
    ) -> None:
        self.symbol = symbol
        self.table = table
        self.counters = counters
        self.grace = config.grace_ms
        self.lateness = config.lateness_ms
        self.cur: list[BarState | None] = [None] * len(table.intervals)  # current bucket's bar
        self.forming: list[BarState] = []  # every forming bar (current or within grace)
        self.closed: dict[tuple[int, int], BarState] = {}  # closed, kept for revisions
        self.next_close = NEVER  # min(end + grace) over forming bars
        self.next_evict = NEVER  # min(end + grace + lateness) over closed bars

    def find_forming(self, idx: int, start: int) -> BarState | None:
        b = self.cur[idx]
        if b is not None and b.t == start:
            return b
        for b in self.forming:
            if b.idx == idx and b.t == start:
                return b
        return None

    def open_bar(
        self, idx: int, start: int, end: int, price: float, ts: int, vol: float
    ) -> BarState:
        b = BarState(idx, start, end, price, ts, vol)
        self.forming.append(b)
        self.next_close = min(self.next_close, end + self.grace)
        return b

    def keep_closed(self, b: BarState) -> None:
        self.closed[(b.idx, b.t)] = b
        self.next_evict = min(self.next_evict, b.end + self.grace + self.lateness)

    def emit(self, b: BarState, out: list[BarCompleted]) -> None:
        b.rev += 1
        if b.rev:
            self.counters.revisions += 1
        else:
            self.counters.completed += 1
        interval = self.table.intervals[b.idx]
        out.append(BarCompleted(self.symbol, interval, b.to_bar(), b.n, b.rev))

    def close_through(self, horizon: int, out: list[BarCompleted]) -> None:
        """Close forming bars with end + grace <= horizon, in (interval, t) order."""
        if horizon < self.next_close:
            return
        grace = self.grace
        done = [b for b in self.forming if b.end + grace <= horizon]
        self.forming = [b for b in self.forming if b.end + grace > horizon]
        self.next_close = min((b.end + grace for b in self.forming), default=NEVER)
        done.sort(key=lambda b: (b.idx, b.t))
        for b in done:
            if self.cur[b.idx] is b:
                self.cur[b.idx] = None
            self.keep_closed(b)
            self.emit(b, out)

    def evict(self, wm: int) -> None:
        """Forget closed bars whose lateness window has passed."""
        if wm < self.next_evict:
            return
        keep = self.grace + self.lateness
        self.closed = {k: b for k, b in self.closed.items() if b.end + keep > wm}
        self.next_evict = min((b.end + keep for b in self.closed.values()), default=NEVER)
