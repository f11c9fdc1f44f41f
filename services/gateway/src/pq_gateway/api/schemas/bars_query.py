"""BarsQuery: the query string of GET /v1/bars, one model for the documented route and
the pure-ASGI fast path (api/forwarded_reads.py), so both validate alike."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from pq_domain import Interval

from .fields import Instant, SymbolText

MAX_LIMIT = 10_000


class BarsQuery(BaseModel):
    symbol: SymbolText
    interval: Interval
    start: Instant | None = Field(
        default=None, description="Inclusive; RFC 3339 or epoch ms; before `end`"
    )
    end: Instant | None = Field(
        default=None, description="Exclusive; RFC 3339 or epoch ms; after `start`"
    )
    limit: int = Field(default=1000, ge=1, le=MAX_LIMIT)
    cursor: str | None = Field(default=None, max_length=512, description="From next_cursor")
    sort: Literal["asc", "desc"] = "asc"
    fill: Literal["none", "prev"] = Field(
        default="none", description="`prev`: flat bars where nothing traded"
    )
