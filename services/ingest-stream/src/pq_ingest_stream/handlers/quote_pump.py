"""The hot path: quote session -> last quote times -> QuoteReceived -> QuotePublisher.

Nothing is logged per quote; counters are updated per ack batch by the publisher. When the
session's backlog overflowed (we fell behind), the dropped range opens a gap, so the bars
built from the quotes around it are repaired from the history: up to the bar of the next
quote served, which counted the dropped quotes' volume.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import structlog

from pq_domain import Quote, Symbol
from pq_domain.events import QuoteReceived
from pq_tradingview import QuotesDropped, StreamEvent

from ..adapters.quote_publisher import quote_received
from ..metrics import StreamMetrics
from ..model.last_quotes import LastQuotes

log = structlog.get_logger(__name__)


class EventSource(Protocol):
    async def next_event(self) -> StreamEvent: ...


class QuoteSink(Protocol):
    """The QuotePublisher, as the pump sees it."""

    async def publish(self, event: QuoteReceived) -> None: ...


class DropListener(Protocol):
    def quotes_dropped(self, symbol: Symbol, first_ts: int, last_ts: int) -> None: ...


class QuotePump:
    def __init__(
        self,
        events: EventSource,
        publisher: QuoteSink,
        last_quotes: LastQuotes,
        owned: Callable[[], frozenset[Symbol]],
        drops: DropListener,
        metrics: StreamMetrics,
    ) -> None:
        self._events = events
        self._publisher = publisher
        self._last = last_quotes
        self._owned = owned
        self._drops = drops
        self._metrics = metrics

    async def run(self) -> None:
        """Until the stream closes (ProtocolRejected, a bad token, is raised from here)."""
        events, publisher, last, owned = self._events, self._publisher, self._last, self._owned
        while True:
            event = await events.next_event()
            if not isinstance(event, Quote):
                self._other(event)
                continue
            if event.symbol in owned():  # a quote already buffered when it was released
                last.saw(event.symbol, event.ts)
            await publisher.publish(quote_received(event))

    def _other(self, event: StreamEvent) -> None:
        if isinstance(event, QuotesDropped):
            self._metrics.drop_reports.inc()
            if event.symbol in self._owned():  # a released symbol is its next owner's
                self._drops.quotes_dropped(event.symbol, event.first_ts, event.repair_until_ts)
        elif not isinstance(event, Quote):
            self._metrics.symbol_rejections.inc()
            log.warning("symbol.rejected", symbol=str(event.symbol), reason=event.reason)
