"""Keeps the quote session's symbols equal to (watchlist ∩ symbols this shard owns).

Called when the watchlist changes (WatchlistFollower) and when the shard membership changes
(Heartbeat). Symbols are added to and removed from the one quote session in place: the
TradingView connection is never reopened for a watchlist change.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

import structlog

from pq_domain import Symbol

from ..metrics import StreamMetrics
from ..model.shard_assignment import Assignment

log = structlog.get_logger(__name__)


class QuoteSubscriptions(Protocol):
    async def subscribe(self, *symbols: Symbol | str) -> None: ...

    async def unsubscribe(self, *symbols: Symbol | str) -> None: ...


class OwnershipListener(Protocol):
    async def acquired(self, symbols: frozenset[Symbol]) -> None: ...

    async def released(self, symbols: frozenset[Symbol], *, deleted: frozenset[Symbol]) -> None: ...


class SubscriptionKeeper:
    def __init__(
        self,
        session: QuoteSubscriptions,
        assignment: Callable[[], Assignment],
        listener: OwnershipListener,
        metrics: StreamMetrics,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self._session = session
        self._assignment = assignment
        self._listener = listener
        self._metrics = metrics
        self._on_change = on_change  # e.g. wake the heartbeat to report the new symbols
        self._lock = asyncio.Lock()
        self._watchlist: frozenset[Symbol] | None = None  # None until first read
        self.owned: frozenset[Symbol] = frozenset()

    @property
    def watchlist(self) -> frozenset[Symbol]:
        return self._watchlist or frozenset()

    async def set_watchlist(self, symbols: frozenset[Symbol]) -> None:
        self._watchlist = symbols
        await self.reconcile()

    async def reconcile(self) -> None:
        async with self._lock:
            if self._watchlist is None:
                return  # never drop symbols before the watchlist was read once
            assignment = self._assignment()
            desired = frozenset(s for s in self._watchlist if assignment.owns(s))
            added, removed = desired - self.owned, self.owned - desired
            if not added and not removed:
                return
            if removed:
                await self._session.unsubscribe(*_ordered(removed))
            self.owned = desired
            self._metrics.symbols_owned.set(len(desired))
            if removed:
                await self._listener.released(removed, deleted=removed - self._watchlist)
            if added:
                # Gaps open before the first quote can arrive (the cursor read is awaited).
                await self._listener.acquired(added)
                await self._session.subscribe(*_ordered(added))
            log.info(
                "shard.symbols_changed", owned=len(desired), added=len(added), removed=len(removed)
            )
        self._on_change()


def _ordered(symbols: frozenset[Symbol]) -> list[Symbol]:
    return sorted(symbols, key=str)
