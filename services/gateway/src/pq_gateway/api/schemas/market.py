"""Read-side schemas served by the query service and forwarded unchanged by the gateway.

They document the bytes the gateway passes through; the gateway never re-encodes them.
The symbols' shapes are the domain's (pq_domain.rest_shapes), which query encodes.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class BarPublic(BaseModel):
    t: str = Field(description="Bar open time, RFC 3339 UTC")
    o: float = Field(description="Open price, in the symbol's quote currency")
    h: float = Field(description="High price")
    l: float = Field(description="Low price")
    c: float = Field(description="Close price")
    v: float = Field(description="Volume traded in the bar (units of the instrument)")
    filled: bool | None = Field(
        default=None, description="True for a flat bar added by `fill=prev` (never stored)"
    )


class CoveredRange(BaseModel):
    """What the read model holds for the symbol and interval, as `[start, end)`."""

    start: str = Field(description="Open time of the first bar held, RFC 3339 UTC")
    end: str = Field(
        description="Exclusive: the last bar's open time plus the interval's shortest length "
        "(a day 23 h, a week 7 d - 1 h, a month 28 d - 1 h), RFC 3339 UTC"
    )


class BarsPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "symbol": "NASDAQ:AAPL",
                    "interval": "1h",
                    "bars": [
                        {"t": "2025-03-10T13:30:00Z", "o": 236.95, "h": 237.48, "l": 235.12,
                         "c": 236.2, "v": 8412339.0},
                    ],
                    "next_cursor": "djE6YToxNzQxNjEzNDAwMDAw",
                    "coverage": {"start": "2024-06-03T13:30:00Z", "end": "2025-03-10T20:00:00Z"},
                }
            ]
        }
    )  # fmt: skip

    symbol: str
    interval: str
    bars: list[BarPublic]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null at end")
    coverage: CoveredRange | None = Field(
        description="The range the read model holds for this symbol and interval (also the "
        "`Pq-Coverage` header); null when it holds none: never synced or built. It says why "
        "a page is empty: a range outside it has no bars yet (POST /v1/sync)."
    )


class QuotePublic(BaseModel):
    symbol: str
    price: float
    volume: float = Field(description="The day's cumulative volume")
    bid: float | None = None
    ask: float | None = None
    ts: str = Field(description="Quote event time, RFC 3339 UTC")
    delayed: bool | None = None
