"""Small event factories for the runtime tests."""

from __future__ import annotations

from pq_domain.events import QuoteReceived
from pq_domain.subjects import quotes_subject
from pq_domain.symbol import Symbol
from pq_runtime.envelope import Envelope


def quote(i: int, symbol: str = "NASDAQ:AAPL") -> QuoteReceived:
    return QuoteReceived(symbol=Symbol.parse(symbol), price=100.0 + i, volume=float(i), ts=i)


def quote_envelope(i: int, symbol: str = "NASDAQ:AAPL") -> Envelope:
    q = quote(i, symbol)
    return Envelope.of(q, quotes_subject(q.symbol))
