"""QuoteReceived bytes -> domain Quote, or PoisonQuote with the reason (-> dead letter).

The hot path's decoder: the runtime codec (msgspec) for the payload, the envelope's
event-type header checked, and symbols parsed once per distinct text (Symbol.parse
walks every character; a partition sees the same few hundred symbols all day). Fields
are read as strictly as `QuoteReceived.from_payload` reads them (pq_domain.events.fields:
no bool as a number, no "12", no 1.5 as a timestamp, no NaN), so the bar-builder and the
query projection accept exactly the same quotes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pq_domain import InvalidQuote, InvalidSymbol, Quote, Symbol
from pq_domain.events import QuoteReceived
from pq_domain.events.fields import InvalidEvent, nullable_float, opt_bool, req, req_float, req_int
from pq_runtime.codec import CodecError, decode
from pq_runtime.envelope import EVENT_TYPE, SCHEMA_VERSION

_MAX_CACHED_SYMBOLS = 100_000
# InvalidEvent: a field missing, of the wrong JSON type, or not finite; TypeError: a
# payload that is not a JSON object.
_NOT_A_QUOTE = (CodecError, InvalidEvent, InvalidQuote, InvalidSymbol, TypeError)


class PoisonQuote(ValueError):
    """A message that can never become a quote: dead-lettered, never retried."""


class QuoteDecoder:
    def __init__(self) -> None:
        self._symbols: dict[str, Symbol] = {}

    def decode(self, data: bytes, headers: Mapping[str, str] | None) -> Quote:
        if headers is None or headers.get(EVENT_TYPE) != QuoteReceived.EVENT_TYPE:
            found = None if headers is None else headers.get(EVENT_TYPE)
            raise PoisonQuote(f"event type {found!r} is not {QuoteReceived.EVENT_TYPE}")
        version = headers.get(SCHEMA_VERSION)
        if version is not None and version != "1":
            raise PoisonQuote(f"unsupported {SCHEMA_VERSION} {version!r}")
        try:
            p = decode(data)
            return Quote(
                self._symbol(req(p, "symbol")),
                req_float(p, "price"),
                req_float(p, "volume"),
                req_int(p, "ts"),
                nullable_float(p, "bid"),
                nullable_float(p, "ask"),
                opt_bool(p, "delayed", False),
            )
        except _NOT_A_QUOTE as exc:
            raise PoisonQuote(f"QuoteReceived: {exc}") from None

    def _symbol(self, text: Any) -> Symbol:
        symbol = self._symbols.get(text) if isinstance(text, str) else None
        if symbol is None:
            symbol = Symbol.parse(text)
            if len(self._symbols) >= _MAX_CACHED_SYMBOLS:
                self._symbols.clear()
            self._symbols[text] = symbol
        return symbol
