"""QuoteReceived: one live quote from the provider."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ..symbol import Symbol
from .fields import InvalidEvent, nullable_float, opt_bool, req, req_float, req_int


@dataclass(frozen=True, slots=True)
class QuoteReceived:
    EVENT_TYPE: ClassVar[str] = "QuoteReceived"
    SCHEMA_VERSION: ClassVar[int] = 1

    symbol: Symbol
    price: float
    volume: float  # the day's cumulative volume
    ts: int  # event time, epoch ms
    bid: float | None = None
    ask: float | None = None
    delayed: bool = False

    @property
    def event_id(self) -> str:
        # A republished quote (same symbol, time, values) is a duplicate.
        return f"quote:{self.symbol}:{self.ts}:{self.price!r}:{self.volume!r}"

    def to_payload(self) -> dict[str, Any]:
        return {
            "symbol": str(self.symbol),
            "price": self.price,
            "volume": self.volume,
            "bid": self.bid,
            "ask": self.ask,
            "ts": self.ts,
            "delayed": self.delayed,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> QuoteReceived:
        try:
            return cls(
                symbol=Symbol.parse(req(p, "symbol")),
                price=req_float(p, "price"),
                volume=req_float(p, "volume"),
                ts=req_int(p, "ts"),
                bid=nullable_float(p, "bid"),
                ask=nullable_float(p, "ask"),
                delayed=opt_bool(p, "delayed", False),
            )
        except (TypeError, ValueError) as exc:
            raise InvalidEvent(f"QuoteReceived: {exc}") from exc
