"""Read-side schemas served by the query service and forwarded unchanged by the gateway.

They document the bytes the gateway passes through; the gateway never re-encodes them.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class BarPublic(BaseModel):
    t: str = Field(description="Bar open time, RFC 3339 UTC")
    o: float
    h: float
    l: float
    c: float
    v: float
    filled: bool | None = Field(
        default=None, description="True for a flat bar added by `fill=prev` (never stored)"
    )


class BarsPage(BaseModel):
    symbol: str
    interval: str
    bars: list[BarPublic]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null at end")


class IntervalCoverage(BaseModel):
    interval: str
    start: str | None = None
    end: str | None = None
    bars: int | None = None


class SymbolPublic(BaseModel):
    symbol: str
    intervals: list[IntervalCoverage] = Field(default_factory=list)
    description: str | None = None
    type: str | None = None
    currency: str | None = None
    exchange: str | None = None
    timezone: str | None = None
    session: str | None = None
    pricescale: int | None = None
    delayed: bool | None = None


class SymbolsList(BaseModel):
    symbols: list[SymbolPublic]


class QuotePublic(BaseModel):
    symbol: str
    price: float
    volume: float = Field(description="The day's cumulative volume")
    bid: float | None = None
    ask: float | None = None
    ts: str = Field(description="Quote event time, RFC 3339 UTC")
    delayed: bool | None = None
