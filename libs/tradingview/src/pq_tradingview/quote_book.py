"""Merge partial `qsd` updates into the full state per symbol and build complete `Quote`s."""

from __future__ import annotations

import math
from typing import Any

from pq_domain import InvalidQuote, Quote, Symbol

from .epoch import epoch_ms_of_seconds

# What a quote needs, plus what makes it readable; TradingView sends only requested fields.
QUOTE_FIELDS: tuple[str, ...] = (
    "lp",
    "lp_time",
    "volume",
    "bid",
    "ask",
    "ch",
    "chp",
    "update_mode",
    "current_session",
    "description",
    "currency_code",
    "pricescale",
    "type",
)


class QuoteBook:
    """Last full field state per quote key (the `n` we subscribed with)."""

    def __init__(self) -> None:
        self._fields: dict[str, dict[str, Any]] = {}
        self._last_emitted: dict[str, Quote] = {}
        self.invalid_quotes = 0

    def apply(self, key: str, symbol: Symbol, diff: dict[str, Any]) -> Quote | None:
        """Merge `diff`; the resulting quote if it is complete and differs from the last one."""
        state = self._fields.setdefault(key, {})
        state.update(diff)
        quote = self._quote_of(symbol, state)
        if quote is None or self._last_emitted.get(key) == quote:
            return None  # e.g. a diff of `ch` only, or the same snapshot again after a reconnect
        self._last_emitted[key] = quote
        return quote

    def start_over(self) -> None:
        """A new connection sends full snapshots again: drop merged fields, keep the last quotes."""
        self._fields.clear()

    def forget(self, key: str) -> None:
        self._fields.pop(key, None)
        self._last_emitted.pop(key, None)

    def fields_of(self, key: str) -> dict[str, Any]:
        return dict(self._fields.get(key, {}))

    def _quote_of(self, symbol: Symbol, state: dict[str, Any]) -> Quote | None:
        price, lp_time = _number(state.get("lp")), _number(state.get("lp_time"))
        if price is None or lp_time is None:
            return None
        ts = epoch_ms_of_seconds(lp_time)  # lp_time is epoch seconds, maybe fractional
        if ts is None:  # e.g. 1e308: finite, but no time a quote can have
            self.invalid_quotes += 1
            return None
        try:
            return Quote(
                symbol=symbol,
                price=price,
                volume=_number(state.get("volume")) or 0.0,  # indices carry no volume
                ts=ts,
                bid=_number(state.get("bid")),
                ask=_number(state.get("ask")),
                delayed=str(state.get("update_mode", "")).startswith("delayed"),
            )
        except InvalidQuote:
            self.invalid_quotes += 1
            return None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # a JSON integer beyond float range
        return None
    return number if math.isfinite(number) else None
