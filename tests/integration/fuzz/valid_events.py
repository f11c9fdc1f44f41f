"""Valid events of each consumed kind, with unique ids and natural keys, from the domain classes."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pq_domain import Bar, Interval, Symbol
from pq_domain.events import BarCompleted, BarSynced, QuoteReceived, SyncRequested
from pq_domain.subjects import (
    SYNC_COMMAND,
    bars_completed_subject,
    bars_synced_subject,
    quotes_subject,
)
from pq_runtime.codec import encode

from .cases import FuzzCase, envelope_headers

# Valid, if unusual: dots, bangs, underscores and non-ASCII survive subjects and decoding.
SYMBOLS = ("NASDAQ:AAPL", "NYSE:BRK.B", "CME_MINI:ES1!", "BINANCE:BTCUSDT", "KRX:삼성전자")
T0 = 1_704_067_200_000  # 2024-01-01T00:00:00Z
HOUR = 3_600_000

# Contract types of each field: what a strict reader accepts. "?": may be null or absent;
# "-": may be absent, not null; "ohlc", "high", "low": a number that keeps
# low <= open, close <= high (the valid bars' values are all above 100).
FIELD_TYPES: dict[str, dict[str, str]] = {
    "QuoteReceived": {"symbol": "symbol", "price": "num", "volume": "num", "ts": "int",
                      "bid": "num?", "ask": "num?", "delayed": "bool-"},
    "BarCompleted": {"symbol": "symbol", "interval": "interval", "t": "int", "o": "ohlc",
                     "h": "high", "l": "low", "c": "ohlc", "v": "num", "ticks": "int",
                     "revision": "int-"},
    "BarSynced": {"job_id": "str", "symbol": "symbol", "interval": "interval",
                  "bars": "bars", "chunk": "int-", "chunks": "int-"},
    "SyncRequested": {"job_id": "str", "symbol": "symbol", "interval": "interval",
                      "bars": "int?", "start": "int?", "end": "int?"},
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ValidEvent:
    event_type: str
    event_id: str
    subject: str
    payload: dict[str, Any]

    def case(self, label: str = "valid") -> FuzzCase:
        headers = envelope_headers(self.event_id, self.event_type)
        return FuzzCase(
            f"{self.event_type}.{label}", self.subject, encode(self.payload), headers, True
        )


class ValidEventFactory:
    """Each call makes a new event: unique event id and unique (symbol, interval, t)."""

    def __init__(self) -> None:
        self._n = itertools.count(1)

    def quote(self) -> ValidEvent:
        n = next(self._n)
        symbol = Symbol.parse(SYMBOLS[n % len(SYMBOLS)])
        q = QuoteReceived(symbol, 100.0 + n / 100, 1000.0 + n, T0 + n * 1000, bid=99.5, ask=100.5)
        return ValidEvent(q.EVENT_TYPE, q.event_id, quotes_subject(symbol), q.to_payload())

    def bar_completed(self) -> ValidEvent:
        n = next(self._n)
        symbol, interval = Symbol.parse(SYMBOLS[n % len(SYMBOLS)]), Interval.H1
        e = BarCompleted(symbol, interval, _bar(T0 + n * HOUR, n), ticks=5 + n % 7)
        return ValidEvent(
            e.EVENT_TYPE, e.event_id, bars_completed_subject(symbol, interval), e.to_payload()
        )

    def bar_synced(self) -> ValidEvent:
        n = next(self._n)
        symbol, interval = Symbol.parse(SYMBOLS[n % len(SYMBOLS)]), Interval.H1
        bars = tuple(_bar(T0 + (n * 10 + k) * HOUR + 10**12, n) for k in range(3))
        e = BarSynced(f"job-{n}", symbol, interval, bars)
        return ValidEvent(
            e.EVENT_TYPE, e.event_id, bars_synced_subject(symbol, interval), e.to_payload()
        )

    def sync_requested(self) -> ValidEvent:
        n = next(self._n)
        symbol = Symbol.parse(SYMBOLS[n % len(SYMBOLS)])
        e = SyncRequested(f"job-{n}", symbol, Interval.D1, bars=10)
        return ValidEvent(e.EVENT_TYPE, e.event_id, SYNC_COMMAND, e.to_payload())

    def maker(self, event_type: str) -> Callable[[], ValidEvent]:
        return {
            "QuoteReceived": self.quote,
            "BarCompleted": self.bar_completed,
            "BarSynced": self.bar_synced,
            "SyncRequested": self.sync_requested,
        }[event_type]


def _bar(t: int, n: int) -> Bar:
    base = 100.0 + n
    return Bar(t=t, o=base, h=base + 2, l=base - 1, c=base + 1, v=1000.0 + n)
