"""Watches the quote session's state: reconnects open gaps, state changes wake the heartbeat.

QuoteStream reports reconnects as a counter in `status()`, not as an event in order with
the quotes, so the last quote before a drop is not known exactly. This watch keeps a
snapshot of the last quote times taken while the connection was up and unchanged; the
snapshot is never newer than the last quote before the drop, so a gap started from it is
never too short (at worst a few hundred ms of quotes are re-synced for nothing).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Protocol

import structlog

from pq_domain import Symbol
from pq_tradingview import StreamStatus

from ..adapters.session_context import SessionContext
from ..metrics import StreamMetrics
from ..model.last_quotes import LastQuotes
from .gap_backfiller import GapBackfiller

log = structlog.get_logger(__name__)


class StatusSource(Protocol):
    def status(self) -> StreamStatus: ...


class SessionWatch:
    def __init__(
        self,
        stream: StatusSource,
        owned: Callable[[], frozenset[Symbol]],
        last_quotes: LastQuotes,
        backfiller: GapBackfiller,
        context: SessionContext,
        metrics: StreamMetrics,
        *,
        on_change: Callable[[], None] = lambda: None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self._owned = owned
        self._last = last_quotes
        self._backfiller = backfiller
        self._context = context
        self._metrics = metrics
        self._on_change = on_change
        self._clock = clock
        self._connected = False
        self._reconnects = 0
        self._snapshot: dict[Symbol, int] = {}
        self._snapshot_newest: int | None = None

    def poll(self) -> None:
        status = self._stream.status()
        reconnected = status.reconnects > self._reconnects
        if reconnected:
            self._metrics.reconnects.inc(status.reconnects - self._reconnects)
            self._reconnects = status.reconnects
            self._context.renew(status.reconnects)
            self._open_gaps()
        if status.connected and (reconnected or not self._connected):
            self._backfiller.connected_at = self._clock()
        if status.connected != self._connected:
            self._connected = status.connected
            log.info("session.state", connected=status.connected, reconnects=status.reconnects)
            self._on_change()
        if status.connected and not reconnected:
            self._snapshot = self._last.snapshot()
            self._snapshot_newest = self._last.newest_ms
        self._metrics.connected.set(1 if status.connected else 0)
        self._metrics.conflated_quotes.set(status.conflated_quotes)

    def _open_gaps(self) -> None:
        opened = 0
        for symbol in self._owned():
            since = self._snapshot.get(symbol, self._snapshot_newest)
            if since is not None:  # None: nothing streamed yet; its initial gap is open
                self._backfiller.open_gap(symbol, since)
                opened += 1
        log.info("session.reconnected", reconnects=self._reconnects, gaps=opened)

    async def run(self, poll_s: float) -> None:
        while True:
            self.poll()
            await asyncio.sleep(poll_s)
