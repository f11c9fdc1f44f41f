"""The simulated symbols: who trades when, at what price scale, how wildly and how often."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from pq_domain.session import TradingSession

DEFAULT_HISTORY_START = date(2012, 1, 2)


@dataclass(frozen=True, slots=True)
class SymbolSpec:
    symbol: str  # EXCHANGE:CODE
    description: str
    type: str
    currency: str
    timezone: str
    session: str  # TradingView session string, e.g. "0930-1600:23456" or "24x7"
    pricescale: int
    start_price: float
    volatility: float  # annualised, of log returns
    day_volume: float  # an average day's volume; 0 for symbols without volume (indices)
    tick_rate: int  # ticks per market minute
    minmov: int = 1
    volume_decimals: int = 0
    delay_s: int = 0  # quotes are marked delayed for the anonymous token
    history_start: date = DEFAULT_HISTORY_START
    half_days: str = ""  # a rule of half_days.RULES ("us"), or "" for none
    trading_session: TradingSession = field(init=False, repr=False, compare=False)
    key: int = field(init=False, repr=False, compare=False)  # stable per-symbol RNG key

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "trading_session", TradingSession.from_tradingview(self.session, self.timezone)
        )
        digest = hashlib.blake2b(self.symbol.encode(), digest_size=6).digest()
        object.__setattr__(self, "key", int.from_bytes(digest, "big"))
        if self.tick_rate < 4:
            raise ValueError(f"{self.symbol}: tick_rate must be >= 4 (open, high, low, close)")

    @property
    def exchange(self) -> str:
        return self.symbol.partition(":")[0]

    @property
    def code(self) -> str:
        return self.symbol.partition(":")[2]

    @property
    def tick_size(self) -> float:
        return self.minmov / self.pricescale

    @property
    def price_decimals(self) -> int:
        """Digits after the point of a price: prices are rounded to them, so JSON stays short."""
        return max(0, math.ceil(math.log10(self.pricescale)))

    @property
    def has_volume(self) -> bool:
        return self.day_volume > 0

    @property
    def daily_volatility(self) -> float:
        days_per_year = 365 if len(self.trading_session.weekdays) == 7 else 252
        return self.volatility / math.sqrt(days_per_year)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SymbolSpec:
        values = {k: v for k, v in data.items() if not k.startswith("_")}
        if "history_start" in values:
            values["history_start"] = date.fromisoformat(values["history_start"])
        return cls(**values)


def load_universe(path: Path | None = None) -> dict[str, SymbolSpec]:
    """The shipped universe, or the JSON file at `path` (same shape: {"symbols": [...]})."""
    if path is None:
        text = resources.files("pq_tvsim").joinpath("universe.json").read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    specs = [SymbolSpec.from_json(item) for item in json.loads(text)["symbols"]]
    return {spec.symbol: spec for spec in specs}
