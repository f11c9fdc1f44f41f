"""The newest quote time per symbol: what the cursors persist and gaps start from."""

from __future__ import annotations

from collections.abc import Iterable

from pq_domain import Symbol


class LastQuotes:
    def __init__(self) -> None:
        self._last: dict[Symbol, int] = {}
        self._dirty: set[Symbol] = set()  # changed since the last flush
        self.newest_ms: int | None = None  # the newest event time seen on any symbol

    def saw(self, symbol: Symbol, ts: int) -> None:
        """Hot path (once per quote): two dict/set operations."""
        if ts > self._last.get(symbol, -1):
            self._last[symbol] = ts
            self._dirty.add(symbol)
            if self.newest_ms is None or ts > self.newest_ms:
                self.newest_ms = ts

    def get(self, symbol: Symbol) -> int | None:
        return self._last.get(symbol)

    def snapshot(self) -> dict[Symbol, int]:
        return dict(self._last)

    def take_dirty(self, keep: set[Symbol] | frozenset[Symbol]) -> dict[Symbol, int]:
        """The changed entries, except those in `keep` (which stay dirty for later)."""
        taken = {s: self._last[s] for s in self._dirty if s not in keep and s in self._last}
        self._dirty.difference_update(taken)
        return taken

    def mark_dirty(self, symbols: Iterable[Symbol]) -> None:
        """Write these again at the next flush (it failed, or what goes with them changed)."""
        self._dirty.update(s for s in symbols if s in self._last)

    def forget(self, symbol: Symbol) -> None:
        self._last.pop(symbol, None)
        self._dirty.discard(symbol)
