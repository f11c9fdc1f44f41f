"""A live quote: last price and the day's cumulative volume at an event time."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .symbol import Symbol


class InvalidQuote(ValueError):
    """Quote values that cannot be used."""


@dataclass(frozen=True, slots=True)
class Quote:
    symbol: Symbol
    price: float
    volume: float  # the day's cumulative volume, as TradingView sends it
    ts: int  # event time, epoch ms UTC
    bid: float | None = None
    ask: float | None = None
    delayed: bool = False  # True when the provider sends delayed data (e.g. delayed_streaming_900)

    def __post_init__(self) -> None:
        if not math.isfinite(self.price):  # negative prices exist (spreads, oil 2020)
            raise InvalidQuote(f"quote for {self.symbol} has an invalid price {self.price}")
        if not math.isfinite(self.volume) or self.volume < 0:
            raise InvalidQuote(f"quote for {self.symbol} has an invalid volume {self.volume}")
