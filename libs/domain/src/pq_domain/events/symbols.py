"""SymbolResolved: what the provider said about a symbol when it resolved it.

Carried on `pq.bars.meta.<ex>.<code>` inside PQ_BARS, so replaying that one
stream rebuilds both the bars and the symbols read models.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ..symbol import Symbol
from .common import InvalidEvent, req


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
                description=str(p.get("description", "")),
                type=str(p.get("type", "")),
                currency=str(p.get("currency", "")),
                exchange=str(p.get("exchange", "")),
                timezone=str(p.get("timezone", "Etc/UTC")),
                session=str(p.get("session", "24x7")),
                pricescale=int(p.get("pricescale", 100)),
                delayed=bool(p.get("delayed", False)),
                at=int(req(p, "at")),
            )
        except (TypeError, ValueError) as exc:
            raise InvalidEvent(f"SymbolResolved: {exc}") from exc
