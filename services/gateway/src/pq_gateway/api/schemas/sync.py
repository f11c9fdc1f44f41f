"""Sync job schemas: SyncCreate (request), SyncAccepted (202), SyncJobPublic (status)."""

from __future__ import annotations

from datetime import datetime
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


JobStatus = Literal["pending", "running", "done", "failed"]
JOB_EXAMPLE: dict[str, JsonValue] = {
    "job_id": "3f9c2b7e0d4a4c1b9e8f7a6b5c4d3e2f",
    "status": "running",
    "symbol": "NASDAQ:AAPL",
    "interval": "1m",
    "bars": None,
    "error": None,
    "progress": {"bars_fetched": 10000, "bars_written": 0, "expected": 20000},
    "created_at": "2025-03-10T14:00:00Z",
    "started_at": "2025-03-10T14:00:00.120Z",
    "finished_at": None,
}


class JobProgress(BaseModel):
    bars_fetched: int = Field(
        ge=0, description="Bars received from the provider so far (counts up while running)"
    )
    bars_written: int = Field(
        ge=0, description="Bars of this job the read model holds (readable by GET /v1/bars)"
    )
    expected: int | None = Field(
        description="Bars the job will fetch when known (a `bars` request); null for a range"
    )


class SyncJobPublic(BaseModel):
    """A sync job: `done` once every bar it fetched is readable, `failed` with an `error`."""

    model_config = ConfigDict(json_schema_extra={"examples": [JOB_EXAMPLE]})

    job_id: str
    status: JobStatus = Field(
        description="pending (accepted) -> running (fetching, or writing its bars) -> done | failed"
    )
    symbol: str | None = Field(default=None, description="EXCHANGE:CODE")
    interval: str | None = None
    bars: int | None = Field(default=None, description="Bars synced, once done")
    error: str | None = Field(default=None, description="Why it failed, naming the symbol")
    progress: JobProgress
    created_at: datetime | None = Field(default=None, description="Accepted (RFC 3339 UTC)")
    started_at: datetime | None = Field(default=None, description="First fetch attempt began")
    finished_at: datetime | None = Field(default=None, description="Done or failed")


class SyncJobsPage(BaseModel):
    """Jobs newest first; pass `next_cursor` back as `cursor` for the next page."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"jobs": [JOB_EXAMPLE], "next_cursor": None}]}
    )

    jobs: list[SyncJobPublic]
    next_cursor: str | None = Field(description="null on the last page")
