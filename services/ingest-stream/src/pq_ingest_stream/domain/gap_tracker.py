"""Open gaps per symbol, until the quote session has been up long enough to close them.

A gap opens when a symbol's stream was interrupted (reconnect, restart, hand-over) or is new.
It closes once the session has been connected for `settle_s`: by then the resubscription's
snapshots have arrived, and each carries its symbol's latest trade time, so the newest event
time seen is past every trade the gap hid. A gap never closes while the session is down:
the provider's history is unreachable then too, and the gap only grows.
"""

from __future__ import annotations

from dataclasses import dataclass

from pq_domain import Symbol

from .backfill_plan import Gap


@dataclass(frozen=True, slots=True)
class _Open:
    since_ms: int | None
    opened_at: float  # monotonic seconds


class GapTracker:
    def __init__(self, *, settle_s: float) -> None:
        self._settle_s = settle_s
        self._open: dict[Symbol, _Open] = {}

    def open(self, symbol: Symbol, since_ms: int | None, now: float) -> None:
        """Open a gap, or widen the open one to the earlier start (None is the earliest)."""
        current = self._open.get(symbol)
        if current is None:
            self._open[symbol] = _Open(since_ms, now)
        elif current.since_ms is not None and (since_ms is None or since_ms < current.since_ms):
            self._open[symbol] = _Open(since_ms, current.opened_at)

    def is_open(self, symbol: Symbol) -> bool:
        return symbol in self._open

    def discard(self, symbol: Symbol) -> None:
        self._open.pop(symbol, None)

    def __len__(self) -> int:
        return len(self._open)

    def close_due(self, now: float, connected_at: float | None, resume_ms: int) -> list[Gap]:
        """Close the gaps that are due; `connected_at` is when the session last came up."""
        due: list[Gap] = []
        for symbol, gap in list(self._open.items()):
            if connected_at is not None and now - max(gap.opened_at, connected_at) >= (
                self._settle_s
            ):
                del self._open[symbol]
                due.append(Gap(symbol, gap.since_ms, resume_ms))
        return due
