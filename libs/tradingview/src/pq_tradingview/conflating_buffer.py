"""Between the socket reader and a consumer: bounded, and never blocking the reader.

Policy: each symbol has its own backlog of at most `depth` quotes, served in arrival order
across symbols. A consumer that keeps up loses nothing. When a symbol's backlog is full (the
consumer is too slow), its oldest pending quote is dropped and counted: the consumer always
gets each symbol's newest quote, and since quotes carry the day's cumulative volume, no volume
is lost either, but the bars built from the quotes in between are, and the next quote's bar
gets their volume. So each drop is reported (a `QuotesDropped` with the dropped event-time
range and the next quote's time, just before that quote), and a consumer can repair the
bars from the first dropped quote to the next one served. Memory is bounded by depth x
watchlist; rejections by `max_rejections`.
"""

from __future__ import annotations

import asyncio
from collections import deque

from pq_domain import Quote, Symbol

from .stream_events import QuotesDropped, StreamEvent, SymbolRejected


class StreamClosed(Exception):
    """Raised to a consumer waiting on a buffer that was closed without an error."""


class ConflatingBuffer:
    def __init__(self, *, depth: int = 1024, max_rejections: int = 1000) -> None:
        self._backlogs: dict[Symbol, deque[Quote]] = {}
        self._turns: deque[Symbol] = deque()  # one entry per pending quote: the serving order
        self._rejections: deque[SymbolRejected] = deque()
        # Not yet reported, one per symbol: (first_ts, last_ts, count) of the dropped quotes.
        self._drops: dict[Symbol, tuple[int, int, int]] = {}
        self._depth = depth
        self._max_rejections = max_rejections
        self._ready = asyncio.Event()
        self._closed_with: BaseException | None = None
        self.conflated = 0
        self.dropped_rejections = 0

    def put_quote(self, quote: Quote) -> None:
        backlog = self._backlogs.setdefault(quote.symbol, deque())
        if len(backlog) >= self._depth:
            dropped = backlog.popleft()  # its turn stays queued and now serves the next quote
            self.conflated += 1
            self._record_drop(dropped)
        else:
            self._turns.append(quote.symbol)
        backlog.append(quote)
        self._ready.set()

    def put_rejection(self, event: SymbolRejected) -> None:
        if len(self._rejections) >= self._max_rejections:
            self._rejections.popleft()
            self.dropped_rejections += 1
        self._rejections.append(event)
        self._ready.set()

    def _record_drop(self, quote: Quote) -> None:
        pending = self._drops.get(quote.symbol)
        if pending is None:
            self._drops[quote.symbol] = (quote.ts, quote.ts, 1)
        else:
            first, last, count = pending
            self._drops[quote.symbol] = (min(first, quote.ts), max(last, quote.ts), count + 1)

    def discard(self, symbol: Symbol) -> None:
        """Forget the pending quotes of an unsubscribed symbol (their turns are skipped)."""
        self._backlogs.pop(symbol, None)
        self._drops.pop(symbol, None)

    def close(self, error: BaseException | None = None) -> None:
        self._closed_with = error or StreamClosed()
        self._ready.set()

    async def get(self) -> StreamEvent:
        """The next event; raises the close reason once the buffer is closed and drained."""
        while True:
            if self._rejections:
                return self._rejections.popleft()
            while self._turns:
                symbol = self._turns.popleft()
                backlog = self._backlogs.get(symbol)
                if backlog:
                    dropped = self._drops.pop(symbol, None)
                    if dropped is not None:
                        self._turns.appendleft(symbol)  # the quote comes right after
                        return QuotesDropped(symbol, *dropped, next_ts=backlog[0].ts)
                    return backlog.popleft()
            if self._closed_with is not None:
                raise self._closed_with
            self._ready.clear()
            await self._ready.wait()

    def __len__(self) -> int:
        pending = sum(len(b) for b in self._backlogs.values())
        return pending + len(self._rejections) + len(self._drops)
