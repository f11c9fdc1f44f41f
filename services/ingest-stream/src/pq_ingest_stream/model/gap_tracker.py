"""Open gaps per symbol, until the quote session has been up long enough to close them.

Two causes open a gap:
- the stream was interrupted (reconnect, restart, hand-over) or the symbol is new: it
  resumes where quotes flow again, the newest event time when the gap closes;
- quotes were dropped from the client's full backlog (the consumer fell behind): it ends
  at the quote served after them, whose bar counted their volume.

A gap closes once the session has been connected for `settle_s`: by then the
resubscription's snapshots have arrived, and each carries its symbol's latest trade time,
so the newest event time seen is past every trade the gap hid. Drops keep widening the
gap and keep it open until they stopped for `settle_s`, so a burst of drops costs one set
of commands, not one per drop; a gap open for `max_open_s` closes anyway, so drops that
never stop are still repaired, a window at a time. A gap never closes while the session
is down: the provider's history is unreachable then too, and the gap only grows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pq_domain import Symbol

from .backfill_plan import Gap


@dataclass(frozen=True, slots=True)
class _Open:
    since_ms: int | None  # None: never streamed here (the widest start)
    until_ms: int | None  # where the newest drop's repair ends; None: no drops
    interrupted: bool  # the stream stopped: the gap resumes where quotes flow again
    opened_at: float  # monotonic seconds
    touched_at: float  # the latest drop (or the opening)


class GapTracker:
    def __init__(self, *, settle_s: float, max_open_s: float = 30.0) -> None:
        self._settle_s = settle_s
        self._max_open_s = max_open_s
        self._open: dict[Symbol, _Open] = {}

    def open(self, symbol: Symbol, since_ms: int | None, now: float) -> None:
        """The stream was interrupted: open a gap, or widen the open one to the earlier start."""
        current = self._open.get(symbol)
        if current is None:
            self._open[symbol] = _Open(since_ms, None, True, now, now)
        else:
            self._open[symbol] = replace(
                current, since_ms=_earlier(current.since_ms, since_ms), interrupted=True
            )

    def dropped(self, symbol: Symbol, first_ms: int, last_ms: int, now: float) -> None:
        """Quotes from `first_ms` were dropped, changing bars up to `last_ms`: open or
        widen, and hold open."""
        current = self._open.get(symbol)
        if current is None:
            self._open[symbol] = _Open(first_ms, last_ms, False, now, now)
            return
        until = last_ms if current.until_ms is None else max(current.until_ms, last_ms)
        since = _earlier(current.since_ms, first_ms)
        self._open[symbol] = replace(current, since_ms=since, until_ms=until, touched_at=now)

    def is_open(self, symbol: Symbol) -> bool:
        return symbol in self._open

    def discard(self, symbol: Symbol) -> None:
        self._open.pop(symbol, None)

    def close_now(self, symbol: Symbol, resume_ms: int) -> Gap | None:
        """Close one gap at once, due or not (the symbol's stream ended here)."""
        gap = self._open.pop(symbol, None)
        return None if gap is None else _closed(symbol, gap, resume_ms)

    def __len__(self) -> int:
        return len(self._open)

    def close_due(self, now: float, connected_at: float | None, resume_ms: int) -> list[Gap]:
        """Close the gaps that are due; `connected_at` is when the session last came up."""
        if connected_at is None:
            return []
        due: list[Gap] = []
        for symbol, gap in list(self._open.items()):
            quiet = now - max(gap.touched_at, connected_at) >= self._settle_s
            if quiet or now - max(gap.opened_at, connected_at) >= self._max_open_s:
                del self._open[symbol]
                due.append(_closed(symbol, gap, resume_ms))
        return due


def _earlier(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else min(a, b)


def _closed(symbol: Symbol, gap: _Open, resume_ms: int) -> Gap:
    ends = [gap.until_ms] if gap.until_ms is not None else []
    if gap.interrupted or not ends:
        ends.append(resume_ms)
    return Gap(symbol, gap.since_ms, max(ends))
