"""BarAggregator: live quotes -> bars of many intervals, in event time.

Rules (ARCHITECTURE.md, "Bars: rules users rely on"), made precise:

- **Volume.** A quote carries the day's cumulative volume. A quote is *in
  order* when its ts is >= the symbol's watermark (the max ts seen so far);
  it contributes `volume - previous in-order volume`, or its whole volume when
  that total dropped (a new day started). The symbol's very first quote
  contributes 0: its total belongs to bars we never saw. A *late* quote
  (ts < watermark) contributes 0 and leaves the reference alone: its volume was
  already counted by the in-order quote that first reported a higher total.
- **Prices.** open = price of the tick with the smallest ts (ties: first
  arrival), close = price of the greatest ts (ties: last arrival), high/low.
- **Closing.** A bar [t, end) closes when the watermark reaches end + grace,
  or through `on_clock(now)`: once `idle_timeout` of wall time has passed
  without a quote for the symbol, its bars with end + grace <= watermark +
  (now - wall time the watermark was reached) close. A quote that then comes
  for such a bar revises it (with its volume contribution, if in order).
- **Late ticks.** A tick whose bucket closed is applied to the kept bar and
  emits BarCompleted with revision + 1 (revision 0 if that bucket had no tick)
  while watermark < end + grace + lateness; after that it is dropped and
  counted (`dropped_late`, once per quote and interval).
- No tick in a bucket: no bar.
- **Buckets.** Intraday bars align to the symbol's session open and the last one
  of a session ends at its close (`bucketing.py`). A quote between a close and
  the next open (pre/post-market) is in no bar of any interval: it is counted
  (`off_session`); in order, it still advances the watermark and the volume
  reference, so the session's last bars close on time.

Outputs of one quote are ordered: bars closed by its watermark advance (by
interval, then t), then the revision it causes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..events.bars import BarCompleted, BarUpdated
from ..quote import Quote
from ..session import TradingSession, default_session
from ..symbol import Symbol
from .config import AggregatorConfig, Counters
from .intervals import IntervalTable
from .snapshot import dump_state, load_state, updates_of
from .symbol_state import SymbolState

SessionFor = Callable[[Symbol], TradingSession]


def _default_session_for(symbol: Symbol) -> TradingSession:
    return default_session(symbol.exchange, symbol.code)


class BarAggregator:
    """Streaming multi-interval bar builder for many symbols. Pure: time is passed in."""

    def __init__(
        self,
        config: AggregatorConfig | None = None,
        session_for: SessionFor = _default_session_for,
    ) -> None:
        self.config = config or AggregatorConfig()
        self._session_for = session_for
        self._counters = Counters()
        self._states: dict[Symbol, SymbolState] = {}
        self._tables: dict[TradingSession, IntervalTable] = {}
        self._touched: list[SymbolState] = []

    @property
    def dropped_late(self) -> int:
        return self._counters.dropped_late

    @property
    def off_session(self) -> int:
        return self._counters.off_session

    @property
    def revisions(self) -> int:
        return self._counters.revisions

    def counters(self) -> dict[str, int]:
        return self._counters.to_dict()

    def on_quote(self, quote: Quote, now_ms: int) -> list[BarCompleted]:
        return self.on_quotes((quote,), now_ms)

    def on_quotes(self, quotes: Iterable[Quote], now_ms: int) -> list[BarCompleted]:
        """Feed quotes in arrival order; returns the bars they completed or revised."""
        out: list[BarCompleted] = []
        states = self._states
        touched = self._touched
        for q in quotes:
            st = states.get(q.symbol)
            if st is None:
                st = self._add(q.symbol)
            ts = q.ts
            if st.wm <= ts < st.limit:  # fast path: same buckets, nothing closes
                vol = q.volume
                ref = st.vol_ref
                st.seg_v += vol - ref if vol >= ref else vol
                st.vol_ref = vol
                price = q.price
                if price > st.seg_h:
                    st.seg_h = price
                if price < st.seg_l:
                    st.seg_l = price
                st.seg_c = price
                st.seg_n += 1
                st.wm = ts
                st.wm_arrival = now_ms
            else:
                st.ingest(q.price, q.volume, ts, now_ms, out)
            if not st.touched:
                st.touched = True
                touched.append(st)
        return out

    def on_clock(self, now_ms: int) -> list[BarCompleted]:
        """Close bars of symbols idle for `idle_timeout_ms` (call it every second or so)."""
        out: list[BarCompleted] = []
        timeout = self.config.idle_timeout_ms
        for st in self._states.values():
            st.close_idle(now_ms, timeout, out)
        return out

    def forming(self, symbol: Symbol) -> list[BarUpdated]:
        """The symbol's forming bars, by interval then t."""
        st = self._states.get(symbol)
        return [] if st is None else updates_of(st)

    def take_updates(self) -> list[BarUpdated]:
        """Forming bars of every symbol that received a quote since the last call."""
        touched, self._touched = self._touched, []
        out: list[BarUpdated] = []
        for st in touched:
            st.touched = False
            out.extend(updates_of(st))
        return out

    def snapshot(self) -> dict[str, Any]:
        """The full state as JSON-ready data (see `restore`)."""
        return {
            "version": 1,
            "config": self.config.to_dict(),
            "counters": self._counters.to_dict(),
            "symbols": [dump_state(st) for st in self._states.values()],
        }

    def restore(self, data: Mapping[str, Any]) -> None:
        """Replace the state by a snapshot taken with the same config.

        Sessions come from `session_for` again. Forming-bar change tracking
        (`take_updates`) is not part of the state and starts empty.
        """
        if data.get("version") != 1:
            raise ValueError(f"unsupported aggregator snapshot version {data.get('version')!r}")
        if data.get("config") != self.config.to_dict():
            raise ValueError("snapshot was taken with a different aggregator config")
        self._counters = Counters(**data["counters"])
        self._states = {}
        self._touched = []
        for row in data["symbols"]:
            symbol = Symbol(row["exchange"], row["code"])
            self._states[symbol] = load_state(self._new_state(symbol), row)

    def _add(self, symbol: Symbol) -> SymbolState:
        st = self._new_state(symbol)
        self._states[symbol] = st
        return st

    def _new_state(self, symbol: Symbol) -> SymbolState:
        session = self._session_for(symbol)
        table = self._tables.get(session)
        if table is None:
            table = self._tables[session] = IntervalTable(self.config.intervals, session)
        return SymbolState(symbol, table, self.config, self._counters)
