"""Backfill commands waiting for the rate limit, at most one per (symbol, interval, kind).

A symbol whose quotes keep being dropped (a consumer that stays behind) closes a gap every
`gap_max_open_s`; with many such symbols the commands would pile up faster than the rate
limit lets them out. So a new command for a series that already has one waiting is merged
into it: one command covering both ranges, with the deterministic job id of the merged
range, keeping the waiting one's place. The queue is bounded by symbols x intervals x kinds.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass

from pq_domain import Interval, Symbol
from pq_domain.events import SyncRequested

from .backfill_plan import BackfillKind, backfill_command

_Key = tuple[Symbol, Interval, BackfillKind]


@dataclass(frozen=True, slots=True)
class Queued:
    kind: BackfillKind
    command: SyncRequested


class CommandQueue:
    def __init__(self) -> None:
        self._order: deque[_Key] = deque()
        self._waiting: dict[_Key, Queued] = {}
        self._per_symbol: Counter[Symbol] = Counter()

    def add(self, kind: BackfillKind, command: SyncRequested) -> None:
        key = (command.symbol, command.interval, kind)
        held = self._waiting.get(key)
        if held is None:
            self._order.append(key)
            self._per_symbol[command.symbol] += 1
            self._waiting[key] = Queued(kind, command)
        else:
            self._waiting[key] = Queued(kind, _merged(kind, held.command, command))

    def first(self) -> Queued | None:
        return self._waiting[self._order[0]] if self._order else None

    def sent(self, queued: Queued) -> bool:
        """`queued` (a `first()` from before an await) went out: drop it, unless the queue
        changed meanwhile. Then False: its symbol was discarded (handed over), or a newer
        range was merged into it, which stays queued and is sent later in its place."""
        command = queued.command
        key = (command.symbol, command.interval, queued.kind)
        if self._waiting.get(key) is not queued:
            return False
        if self._order[0] == key:
            self._order.popleft()
        else:
            self._order.remove(key)
        del self._waiting[key]
        self._per_symbol[key[0]] -= 1
        if self._per_symbol[key[0]] <= 0:
            del self._per_symbol[key[0]]
        return True

    def has(self, symbol: Symbol) -> bool:
        return self._per_symbol[symbol] > 0

    def discard(self, symbol: Symbol) -> None:
        if self._per_symbol.pop(symbol, 0):
            self._order = deque(k for k in self._order if k[0] != symbol)
            self._waiting = {k: q for k, q in self._waiting.items() if k[0] != symbol}

    def __len__(self) -> int:
        return len(self._order)


def _merged(kind: BackfillKind, a: SyncRequested, b: SyncRequested) -> SyncRequested:
    if a.job_id == b.job_id:
        return a
    starts = [s for s in (a.start, b.start) if s is not None]
    ends = [e for e in (a.end, b.end) if e is not None]
    if len(starts) < 2 or len(ends) < 2:
        return a  # not a range command: never made by the backfill, keep the first
    return backfill_command(a.symbol, a.interval, min(starts), max(ends), kind)
