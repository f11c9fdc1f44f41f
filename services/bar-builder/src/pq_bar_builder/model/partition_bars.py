"""The bars of one partition: one BarAggregator per symbol, so that state is per symbol.

A batch touches a few of a partition's symbols; keeping one aggregator per symbol lets
the worker persist only those (`dump`), with the domain's own `snapshot()`/`restore()`,
instead of the whole partition's snapshot every batch. Quotes are fed per symbol in
arrival order with `now` = the stream time of the symbol's last quote in the batch, so
the idle-close clock of a replayed stream is the same as the first time through.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pq_domain import AggregatorConfig, BarAggregator, Quote, Symbol
from pq_domain.aggregation import SessionFor
from pq_domain.events import BarCompleted, BarUpdated
from pq_runtime.codec import decode, encode


class PartitionBars:
    def __init__(self, config: AggregatorConfig, session_for: SessionFor | None = None) -> None:
        self.config = config
        self._config_dict = config.to_dict()
        self._session_for = session_for
        self._aggregators: dict[Symbol, BarAggregator] = {}
        self.dropped_late = 0  # since this object was built (state counters are per symbol)
        self.off_session = 0  # quotes between a close and the next open, likewise

    def __len__(self) -> int:
        return len(self._aggregators)

    def apply(
        self, quotes: Sequence[Quote], arrivals_ms: Sequence[int]
    ) -> tuple[list[BarCompleted], list[Symbol]]:
        """Feed a batch; the bars it completed or revised, and the symbols it touched."""
        groups: dict[Symbol, tuple[list[Quote], list[int]]] = {}
        for q, arrival in zip(quotes, arrivals_ms, strict=True):
            group = groups.get(q.symbol)
            if group is None:
                groups[q.symbol] = ([q], [arrival])
            else:
                group[0].append(q)
                group[1][0] = arrival
        out: list[BarCompleted] = []
        for symbol, (qs, last_arrival) in groups.items():
            agg = self._aggregator(symbol)
            dropped, off = agg.dropped_late, agg.off_session
            out.extend(agg.on_quotes(qs, last_arrival[0]))
            self.dropped_late += agg.dropped_late - dropped
            self.off_session += agg.off_session - off
        return out, list(groups)

    def tick(self, now_ms: int) -> list[BarCompleted]:
        """Idle close (wall clock); only symbols that emitted bars changed state."""
        out: list[BarCompleted] = []
        for agg in self._aggregators.values():
            out.extend(agg.on_clock(now_ms))
        return out

    def forming(self, symbol: Symbol) -> list[BarUpdated]:
        agg = self._aggregators.get(symbol)
        return [] if agg is None else agg.forming(symbol)

    def dump(self, symbol: Symbol) -> bytes:
        """One symbol's state (the aggregator snapshot without its config)."""
        snap = self._aggregators[symbol].snapshot()
        del snap["config"]
        return encode(snap)

    def load(self, rows: Iterable[tuple[str, bytes]]) -> None:
        """Replace the state by stored rows (symbol text, `dump` bytes).

        The config comes from the settings now in force: grace, lateness and idle
        timeout only steer future closes, so a restart may change them safely.
        """
        self._aggregators = {}
        for text, blob in rows:
            symbol = Symbol.parse(text)
            snap: dict[str, Any] = decode(blob)
            snap["config"] = self._config_dict
            self._aggregator(symbol).restore(snap)

    def _aggregator(self, symbol: Symbol) -> BarAggregator:
        agg = self._aggregators.get(symbol)
        if agg is None:
            if self._session_for is None:
                agg = BarAggregator(self.config)
            else:
                agg = BarAggregator(self.config, self._session_for)
            self._aggregators[symbol] = agg
        return agg
