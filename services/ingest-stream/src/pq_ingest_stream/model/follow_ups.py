"""Buckets still forming when their gap was backfilled, synced again once they have closed.

The provider leaves the forming bar out of a history answer (and ingest-history drops it
too), so the last bucket of a gap command sent before that bucket closed keeps only its
partial live bar. When such a command is sent, a follow-up is noted for that one bucket;
it is sent once event time is `delay` past the bucket's end. Event time is the newest quote
the shard saw: the provider's clock is at least there, and it is the clock that decides
what is still forming (a simulator runs in the past; the wall clock would fire too early).

Follow-ups are persisted with the symbol's cursor (stream_cursor.py), so a restart or the
shard taking a symbol over still sends them. Their job ids are deterministic per bucket.
"""

from __future__ import annotations

from dataclasses import dataclass

from pq_domain import Interval, Symbol, bucket_start, default_session
from pq_domain.events import SyncRequested

from .backfill_plan import BackfillKind, backfill_command


@dataclass(frozen=True, slots=True)
class FollowUp:
    symbol: Symbol
    interval: Interval
    start: int  # the bucket's open
    end: int  # its end: the follow-up is due once event time passed it (plus the delay)

    def command(self) -> SyncRequested:
        return backfill_command(
            self.symbol, self.interval, self.start, self.end, BackfillKind.FOLLOW_UP
        )


def follow_up_of(command: SyncRequested, event_ms: int, delay_ms: int) -> FollowUp | None:
    """The follow-up a gap command needs when it is sent at `event_ms`: None if its last
    bucket had closed `delay_ms` before (the provider then returns it whole)."""
    if command.end is None or command.end + delay_ms <= event_ms:
        return None
    last = command.end - 1
    symbol = command.symbol
    start = bucket_start(command.interval, last, default_session(symbol.exchange, symbol.code))
    if command.start is not None:
        start = max(start, command.start)
    return FollowUp(command.symbol, command.interval, start, command.end)


class FollowUps:
    """The follow-ups waiting for their bucket to close, per symbol."""

    def __init__(self, *, delay_ms: int) -> None:
        self._delay_ms = delay_ms
        self._by_symbol: dict[Symbol, set[FollowUp]] = {}
        self._count = 0
        self._earliest_due: int | None = None  # no scan needed before event time gets here

    def add(self, follow_up: FollowUp) -> bool:
        """False when it was waiting already (the same bucket from another gap)."""
        waiting = self._by_symbol.setdefault(follow_up.symbol, set())
        if follow_up in waiting:
            return False
        waiting.add(follow_up)
        self._count += 1
        due = follow_up.end + self._delay_ms
        if self._earliest_due is None or due < self._earliest_due:
            self._earliest_due = due
        return True

    def of(self, symbol: Symbol) -> tuple[FollowUp, ...]:
        return tuple(sorted(self._by_symbol.get(symbol, ()), key=_order))

    def discard(self, symbol: Symbol) -> None:
        self._count -= len(self._by_symbol.pop(symbol, ()))

    def take_due(self, event_ms: int) -> list[FollowUp]:
        """Remove and return the follow-ups whose bucket closed `delay` before `event_ms`."""
        if self._earliest_due is None or event_ms < self._earliest_due:
            return []
        due: list[FollowUp] = []
        earliest: int | None = None
        for symbol, waiting in list(self._by_symbol.items()):
            for follow_up in list(waiting):
                at = follow_up.end + self._delay_ms
                if at <= event_ms:
                    waiting.discard(follow_up)
                    due.append(follow_up)
                elif earliest is None or at < earliest:
                    earliest = at
            if not waiting:
                del self._by_symbol[symbol]
        self._count -= len(due)
        self._earliest_due = earliest
        return sorted(due, key=_order)

    def __len__(self) -> int:
        return self._count


def _order(follow_up: FollowUp) -> tuple[int, str, str]:
    return (follow_up.end, str(follow_up.symbol), follow_up.interval.value)
