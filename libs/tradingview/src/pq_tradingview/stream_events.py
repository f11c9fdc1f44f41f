"""What a QuoteStream yields and reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from pq_domain import Quote, Symbol


@dataclass(frozen=True, slots=True)
class SymbolRejected:
    """The server refused one symbol (`qsd` with `s: "error"`); the others are unaffected."""

    symbol: Symbol
    reason: str


StreamEvent = Quote | SymbolRejected


@dataclass(frozen=True, slots=True)
class SymbolStatus:
    last_quote_ts: int | None  # event time of the newest quote, epoch ms
    last_received_at: float | None  # wall clock (time.time()) when it arrived
    quotes: int  # quotes received since the symbol was subscribed
    error: str | None  # the server's reason if it rejected the symbol


@dataclass(frozen=True, slots=True)
class StreamStatus:
    """A snapshot for monitoring (`/v1/stream/status`)."""

    connected: bool
    connected_since: float | None  # wall clock of the current connection
    reconnects: int  # connections opened after the first one
    silent_disconnects: int  # connections dropped because nothing arrived in time
    conflated_quotes: int  # quotes dropped from a full per-symbol backlog (slow consumer)
    dropped_rejections: int  # SymbolRejected events dropped because nobody read them
    malformed_messages: int
    last_error: str | None
    symbols: dict[str, SymbolStatus] = field(default_factory=dict)
