"""QuoteReceived bytes -> domain Quote, or PoisonQuote with the reason (-> dead letter).

The hot path's decoder: the runtime codec (msgspec) for the payload, the envelope's
event-type header checked, and symbols parsed once per distinct text (Symbol.parse
walks every character; a partition sees the same few hundred symbols all day).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pq_domain import InvalidQuote, InvalidSymbol, Quote, Symbol
from pq_domain.events import QuoteReceived
from pq_runtime.codec import CodecError, decode
from pq_runtime.envelope import EVENT_TYPE, SCHEMA_VERSION

_MAX_CACHED_SYMBOLS = 100_000


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
                self._symbol(p["symbol"]),
                float(p["price"]),
                float(p["volume"]),
                int(p["ts"]),
            )
        except KeyError as exc:
            raise PoisonQuote(f"QuoteReceived: missing field {exc}") from None
        except (CodecError, InvalidQuote, InvalidSymbol, TypeError, ValueError) as exc:
            raise PoisonQuote(f"QuoteReceived: {exc}") from None

    def _symbol(self, text: Any) -> Symbol:
        symbol = self._symbols.get(text) if isinstance(text, str) else None
        if symbol is None:
            symbol = Symbol.parse(text)
            if len(self._symbols) >= _MAX_CACHED_SYMBOLS:
                self._symbols.clear()
            self._symbols[text] = symbol
        return symbol
