"""Symbol metadata from `symbol_resolved`, kept for the gateway to expose."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True, slots=True)
class SymbolMeta:
    symbol: str  # as requested, EXCHANGE:CODE
    description: str
    type: str  # stock, crypto, forex, futures, index, ...
    exchange: str
    currency: str | None
    timezone: str  # IANA zone of the exchange, e.g. America/New_York
    session: str  # TradingView session string, e.g. "0930-1600" or "24x7"
    pricescale: int  # prices are multiples of minmov / pricescale
    minmov: int
    has_volume: bool
    delay_s: int  # 0 when real time; data lags this much otherwise
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def delayed(self) -> bool:
        return self.delay_s > 0

    @classmethod
    def from_resolved(cls, symbol: str, meta: Mapping[str, Any]) -> SymbolMeta:
        """Read the fields we rely on; tolerate missing ones (the payload is undocumented)."""
        plots = str(meta.get("visible_plots_set", "ohlcv"))
        return cls(
            symbol=symbol,
            description=str(meta.get("description", "")),
            type=str(meta.get("type", "")),
            exchange=str(meta.get("exchange", symbol.partition(":")[0])),
            currency=_optional_str(meta.get("currency_code")),
            timezone=str(meta.get("timezone", "Etc/UTC")),
            session=str(meta.get("session", "24x7")),
            pricescale=_int(meta.get("pricescale"), 1),
            minmov=_int(meta.get("minmov"), 1),
            has_volume=plots == "ohlcv",
            delay_s=_int(meta.get("delay"), 0),
            raw=MappingProxyType(dict(meta)),
        )


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


def _int(value: object, default: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return int(value)
