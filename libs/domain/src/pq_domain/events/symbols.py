"""SymbolResolved: what the provider said about a symbol when it resolved it.

Carried on `pq.bars.meta.<ex>.<code>` inside PQ_BARS, so replaying that one
stream rebuilds both the bars and the symbols read models.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ..symbol import Symbol
from .fields import InvalidEvent, opt_bool, opt_int, opt_str, req, req_int


@dataclass(frozen=True, slots=True)
class SymbolResolved:
    EVENT_TYPE: ClassVar[str] = "SymbolResolved"
    SCHEMA_VERSION: ClassVar[int] = 1

    symbol: Symbol
    description: str
    type: str
    currency: str
    exchange: str
    timezone: str
    session: str
    pricescale: int
    delayed: bool
    at: int  # epoch ms when resolved

    @property
    def event_id(self) -> str:
        return f"symbol-resolved:{self.symbol}:{self.at}"

    def to_payload(self) -> dict[str, Any]:
        return {
            "symbol": str(self.symbol),
            "description": self.description,
            "type": self.type,
            "currency": self.currency,
            "exchange": self.exchange,
            "timezone": self.timezone,
            "session": self.session,
            "pricescale": self.pricescale,
            "delayed": self.delayed,
            "at": self.at,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> SymbolResolved:
        try:
            return cls(
                symbol=Symbol.parse(req(p, "symbol")),
                description=opt_str(p, "description", ""),
                type=opt_str(p, "type", ""),
                currency=opt_str(p, "currency", ""),
                exchange=opt_str(p, "exchange", ""),
                timezone=opt_str(p, "timezone", "Etc/UTC"),
                session=opt_str(p, "session", "24x7"),
                pricescale=opt_int(p, "pricescale", 100),
                delayed=opt_bool(p, "delayed", False),
                at=req_int(p, "at"),
            )
        except (TypeError, ValueError) as exc:
            raise InvalidEvent(f"SymbolResolved: {exc}") from exc
