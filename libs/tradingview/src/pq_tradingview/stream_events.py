"""What a QuoteStream yields and reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from pq_domain import Quote, Symbol


@dataclass(frozen=True, slots=True)
class SymbolRejected:
    """The server refused one symbol (`qsd` with `s: "error"`); the others are unaffected."""

    symbol: Symbol
    reason: str


@dataclass(frozen=True, slots=True)
class QuotesDropped:
    """Quotes of one symbol dropped from its full backlog (the consumer fell behind).

    Served in order, just before the symbol's next quote: every quote of the symbol served
    before it is older than `first_ts`, every one after it newer than `last_ts`. Drops that
    happen before it is served widen it, so a consumer that stays behind gets one report per
    quote it reads at most, never one per dropped quote.

    Quotes carry the day's cumulative volume, so the dropped quotes' volume is counted in
    the next quote's bar: `next_ts` says which bar that is, when it is a later one than the
    dropped quotes' own.
    """

    symbol: Symbol
    first_ts: int  # event time of the oldest dropped quote, epoch ms
    last_ts: int  # of the newest
    count: int
    next_ts: int  # of the quote served right after this report

    @property
    def repair_until_ts(self) -> int:
        """The newest event time whose bars the drop changed: theirs, or the next quote's."""
        return max(self.last_ts, self.next_ts)


StreamEvent = Quote | SymbolRejected | QuotesDropped


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
