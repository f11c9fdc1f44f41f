"""The watchlist of a quote stream and what its `qsd` packets did to it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from pq_domain import Quote, Symbol

from .conflating_buffer import ConflatingBuffer
from .errors import ProtocolRejected
from .messages import is_for_session
from .quote_book import QuoteBook
from .stream_events import SymbolRejected, SymbolStatus


@dataclass(slots=True)
class _Tracking:
    last_quote_ts: int | None = None
    last_received_at: float | None = None
    quotes: int = 0
    error: str | None = None


class QuoteSessionState:
    def __init__(self, buffer: ConflatingBuffer) -> None:
        self._buffer = buffer
        self._book = QuoteBook()
        self.symbols: dict[str, Symbol] = {}  # the key we subscribe with (the qsd `n`) -> symbol
        self._tracking: dict[str, _Tracking] = {}
        self.critical_error: str | None = None

    def add(self, symbols: list[Symbol]) -> list[str]:
        """Add to the watchlist; the keys that were not in it yet."""
        added = []
        for symbol in symbols:
            key = str(symbol)
            if key not in self.symbols:
                self.symbols[key] = symbol
                self._tracking[key] = _Tracking()
                added.append(key)
        return added

    def remove(self, symbols: list[Symbol]) -> list[str]:
        removed = []
        for symbol in symbols:
            key = str(symbol)
            if self.symbols.pop(key, None) is not None:
                self._tracking.pop(key, None)
                self._book.forget(key)
                self._buffer.discard(symbol)
                removed.append(key)
        return removed

    def keys(self) -> list[str]:
        return list(self.symbols)

    def start_over(self) -> None:
        self._book.start_over()

    def handle(self, packet: dict[str, Any], quote_session: str) -> None:
        method, params = packet.get("m"), packet.get("p")
        if not isinstance(params, list):
            return
        if method == "protocol_error":
            raise ProtocolRejected(f"protocol_error: {', '.join(map(str, params))}")
        if method == "critical_error":
            if is_for_session(params, quote_session):
                # e.g. invalid parameters for quote_add_symbols: the server keeps the
                # connection and the session, so the rest keeps streaming
                self.critical_error = "critical_error: " + ", ".join(map(str, params[1:]))
        elif method == "qsd" and len(params) > 1 and params[0] == quote_session:
            data = params[1]
            if isinstance(data, dict):
                self._apply(data)

    def _apply(self, data: dict[str, Any]) -> None:
        key = data.get("n")
        if not isinstance(key, str) or key not in self.symbols:
            return  # removed meanwhile, or never ours
        symbol, tracking = self.symbols[key], self._tracking[key]
        if data.get("s") == "error":
            reason = str(data.get("errmsg") or data.get("v") or "error")
            tracking.error = reason
            self._buffer.put_rejection(SymbolRejected(symbol, reason))
            return
        values = data.get("v")
        if isinstance(values, dict):
            tracking.error = None
            quote = self._book.apply(key, symbol, values)
            if quote is not None:
                self._record(tracking, quote)

    def _record(self, tracking: _Tracking, quote: Quote) -> None:
        tracking.last_quote_ts = quote.ts
        tracking.last_received_at = time.time()
        tracking.quotes += 1
        self._buffer.put_quote(quote)

    def symbol_statuses(self) -> dict[str, SymbolStatus]:
        return {
            key: SymbolStatus(t.last_quote_ts, t.last_received_at, t.quotes, t.error)
            for key, t in self._tracking.items()
        }
