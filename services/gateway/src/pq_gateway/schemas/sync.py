"""Sync job schemas: SyncCreate (request), SyncAccepted (202), SyncJobPublic (status)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from pq_domain import Interval

from .fields import Instant, JsonInt, SymbolText

# The two forms, for the document (routers/sync.py `form_errors` enforces them): `bars`
# as an integer with no range, or both ends of a range with no `bars` (null = absent).
SYNC_FORMS: list[JsonValue] = [
    {
        "title": "The latest bars",
        "required": ["bars"],
        "properties": {
            "bars": {"type": "integer"},
            "start": {"type": "null"},
            "end": {"type": "null"},
        },
    },
    {
        "title": "A time range, start before end",
        "required": ["start", "end"],
        "properties": {
            "bars": {"type": "null"},
            "start": {"not": {"type": "null"}},
            "end": {"not": {"type": "null"}},
        },
    },
]


class SyncCreate(BaseModel):
    """Either `bars` (the latest N bars) or `start` and `end` (a time range, `start` before
    `end`), never both.

    Unknown fields are refused (422) so that a typo such as `bar` is not silently ignored.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "oneOf": SYNC_FORMS,
            "examples": [
                {"symbol": "NASDAQ:AAPL", "interval": "1h", "bars": 5000},
                {
                    "symbol": "NYSE:BRK.B",
                    "interval": "1d",
                    "start": "2024-01-01T00:00:00Z",
                    "end": "2024-06-01T00:00:00Z",
                },
            ],
        },
    )

    symbol: SymbolText
    interval: Interval
    bars: JsonInt | None = Field(
        default=None, ge=1, description="How many latest bars, 1..PQ_SYNC_MAX_BARS (5259600)"
    )
    start: Instant | None = Field(
        default=None,
        description="Range start, inclusive; before end. The range may hold at most "
        "PQ_SYNC_MAX_BARS bars of the interval",
    )
    end: Instant | None = Field(default=None, description="Range end, exclusive; after start")


class SyncAccepted(BaseModel):
    job_id: str
    status: Literal["pending"] = "pending"


class SyncJobPublic(BaseModel):
    """The query service's view of a sync job (forwarded as is)."""

    job_id: str
    status: Literal["pending", "running", "done", "failed"]
    bars: int | None = None
    error: str | None = None
