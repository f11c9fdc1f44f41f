"""Sync job lifecycle facts, on `pq.jobs.sync` (stream PQ_JOBS), in order per job.

The gateway records SyncJobAccepted before it sends the command, so a job is
visible as `pending` from the moment the client holds its id; ingest-history
records the rest. The query service projects them into the jobs read model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ..interval import Interval
from ..symbol import Symbol
from .fields import InvalidEvent, nullable_int, opt_int, req, req_int, req_str


@dataclass(frozen=True, slots=True)
class SyncJobAccepted:
    EVENT_TYPE: ClassVar[str] = "SyncJobAccepted"
    SCHEMA_VERSION: ClassVar[int] = 1

    job_id: str
    symbol: Symbol
    interval: Interval
    at: int  # epoch ms

    @property
    def event_id(self) -> str:
        return f"sync-job:{self.job_id}:accepted"

    def to_payload(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "symbol": str(self.symbol),
            "interval": self.interval.value,
            "at": self.at,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> SyncJobAccepted:
        try:
            return cls(
                job_id=req_str(p, "job_id"),
                symbol=Symbol.parse(req(p, "symbol")),
                interval=Interval.parse(req_str(p, "interval")),
                at=req_int(p, "at"),
            )
        except (TypeError, ValueError) as exc:
            raise InvalidEvent(f"SyncJobAccepted: {exc}") from exc


@dataclass(frozen=True, slots=True)
class SyncJobStarted:
    EVENT_TYPE: ClassVar[str] = "SyncJobStarted"
    SCHEMA_VERSION: ClassVar[int] = 1

    job_id: str
    at: int
    attempt: int = 1

    @property
    def event_id(self) -> str:
        return f"sync-job:{self.job_id}:started:{self.attempt}"

    def to_payload(self) -> dict[str, Any]:
        return {"job_id": self.job_id, "at": self.at, "attempt": self.attempt}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> SyncJobStarted:
        try:
            return cls(req_str(p, "job_id"), req_int(p, "at"), opt_int(p, "attempt", 1))
        except (TypeError, ValueError) as exc:
            raise InvalidEvent(f"SyncJobStarted: {exc}") from exc


@dataclass(frozen=True, slots=True)
class SyncJobProgressed:
    """A sync's fetch moved on: `bars_fetched` bars so far of `expected` (None: unknown,
    e.g. a time range). One per fetch round of an attempt; counts never go down within
    an attempt (a new attempt fetches again from zero)."""

    EVENT_TYPE: ClassVar[str] = "SyncJobProgressed"
    SCHEMA_VERSION: ClassVar[int] = 1

    job_id: str
    bars_fetched: int
    expected: int | None
    at: int  # epoch ms
    attempt: int = 1
    round: int = 1

    @property
    def event_id(self) -> str:
        return f"sync-job:{self.job_id}:progress:{self.attempt}:{self.round}"

    def to_payload(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "bars_fetched": self.bars_fetched,
            "expected": self.expected,
            "at": self.at,
            "attempt": self.attempt,
            "round": self.round,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> SyncJobProgressed:
        try:
            fetched, expected = req_int(p, "bars_fetched"), nullable_int(p, "expected")
            if fetched < 0 or (expected is not None and expected < 0):
                raise ValueError("bars_fetched and expected must not be negative")
            return cls(
                req_str(p, "job_id"), fetched, expected, req_int(p, "at"),
                opt_int(p, "attempt", 1), opt_int(p, "round", 1),
            )  # fmt: skip
        except (TypeError, ValueError) as exc:
            raise InvalidEvent(f"SyncJobProgressed: {exc}") from exc


@dataclass(frozen=True, slots=True)
class SyncJobCompleted:
    EVENT_TYPE: ClassVar[str] = "SyncJobCompleted"
    SCHEMA_VERSION: ClassVar[int] = 1

    job_id: str
    bars: int
    at: int

    @property
    def event_id(self) -> str:
        return f"sync-job:{self.job_id}:completed"

    def to_payload(self) -> dict[str, Any]:
        return {"job_id": self.job_id, "bars": self.bars, "at": self.at}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> SyncJobCompleted:
        try:
            return cls(req_str(p, "job_id"), req_int(p, "bars"), req_int(p, "at"))
        except (TypeError, ValueError) as exc:
            raise InvalidEvent(f"SyncJobCompleted: {exc}") from exc


@dataclass(frozen=True, slots=True)
class SyncJobFailed:
    EVENT_TYPE: ClassVar[str] = "SyncJobFailed"
    SCHEMA_VERSION: ClassVar[int] = 1

    job_id: str
    error: str
    at: int

    @property
    def event_id(self) -> str:
        return f"sync-job:{self.job_id}:failed"

    def to_payload(self) -> dict[str, Any]:
        return {"job_id": self.job_id, "error": self.error, "at": self.at}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> SyncJobFailed:
        try:
            # An error message may be empty (some exceptions have no text); a job id may not.
            return cls(req_str(p, "job_id"), req_str(p, "error", empty_ok=True), req_int(p, "at"))
        except (TypeError, ValueError) as exc:
            raise InvalidEvent(f"SyncJobFailed: {exc}") from exc


# Every fact of a job's lifecycle, in the order a job goes through them.
JOB_LIFECYCLE_EVENTS: tuple[type, ...] = (
    SyncJobAccepted,
    SyncJobStarted,
    SyncJobProgressed,
    SyncJobCompleted,
    SyncJobFailed,
)
