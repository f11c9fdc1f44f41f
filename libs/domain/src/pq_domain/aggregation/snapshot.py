"""A symbol state to and from JSON-ready data, and its forming bars as BarUpdated.

The snapshot holds everything the future output depends on, the unfolded
segment included, so that a restored aggregator folds at the same points and
produces bit-identical bars (float sums included). Derived fields (current
buckets, fast-path limit, next close/evict times) are recomputed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..bar import Bar
from ..events.bars import BarUpdated
from .bar_state import BarState
from .book import BEFORE, NEVER
from .symbol_state import SymbolState


def _time_or_none(value: int) -> int | None:
    return None if value == BEFORE else value


def dump_state(st: SymbolState) -> dict[str, Any]:
    intervals = st.table.intervals
    return {
        "exchange": st.symbol.exchange,
        "code": st.symbol.code,
        "wm": _time_or_none(st.wm),
        "wm_arrival": _time_or_none(st.wm_arrival),
        "last_arrival": _time_or_none(st.last_arrival),
        "vol_ref": st.vol_ref,
        "segment": [st.seg_h, st.seg_l, st.seg_c, st.seg_v, st.seg_n] if st.seg_n else None,
        "forming": [[intervals[b.idx].value, *b.to_row()] for b in st.forming],
        "closed": [[intervals[b.idx].value, *b.to_row()] for b in st.closed.values()],
    }


def load_state(st: SymbolState, data: Mapping[str, Any]) -> SymbolState:
    """Fill a fresh state (built with the same config and session) from `dump_state`."""
    index = {interval.value: i for i, interval in enumerate(st.table.intervals)}

    def bar(row: list[Any]) -> BarState:
        return BarState.from_row(index[row[0]], row[1:])

    def time_of(key: str) -> int:
        value = data[key]
        return BEFORE if value is None else int(value)

    st.wm = time_of("wm")
    st.wm_arrival = time_of("wm_arrival")
    st.last_arrival = time_of("last_arrival")
    st.vol_ref = data["vol_ref"]
    st.forming = [bar(row) for row in data["forming"]]
    st.closed = {(b.idx, b.t): b for b in (bar(row) for row in data["closed"])}
    grace, lateness = st.grace, st.lateness
    st.next_close = min((b.end + grace for b in st.forming), default=NEVER)
    st.next_evict = min((b.end + grace + lateness for b in st.closed.values()), default=NEVER)
    if st.wm != BEFORE:
        for i in range(len(st.cur)):
            st.bs[i], st.be[i] = st.table.bounds(i, st.wm)
            st.cur[i] = next((b for b in st.forming if b.idx == i and b.t == st.bs[i]), None)
    segment = data["segment"]
    if segment is not None:
        st.seg_h, st.seg_l, st.seg_c, st.seg_v, st.seg_n = segment
    st.set_limit()
    return st


def updates_of(st: SymbolState) -> list[BarUpdated]:
    """The forming bars, segment included, by interval then t."""
    out: list[BarUpdated] = []
    for b in sorted(st.forming, key=lambda b: (b.idx, b.t)):
        h, l, c, v, n = b.h, b.l, b.c, b.v, b.n
        if st.seg_n and st.cur[b.idx] is b:
            h, l, c, v, n = max(h, st.seg_h), min(l, st.seg_l), st.seg_c, v + st.seg_v, n + st.seg_n
        bar = Bar(t=b.t, o=float(b.o), h=float(h), l=float(l), c=float(c), v=float(v))
        out.append(BarUpdated(st.symbol, st.table.intervals[b.idx], bar, n))
    return out
