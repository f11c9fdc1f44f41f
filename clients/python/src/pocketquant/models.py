"""What the gateway answers, as frozen dataclasses (times as aware UTC datetimes)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Literal

from .times import parse_optional

JobStatus = Literal["pending", "running", "done", "failed"]
FINAL_STATUSES = ("done", "failed")


@dataclass(frozen=True)
class JobProgress:
    """How far a sync job got; `expected` is None when the job cannot know in advance."""

    bars_fetched: int = 0
    bars_written: int = 0
    expected: int | None = None

    @classmethod
    def from_json(cls, raw: object) -> JobProgress | None:
        if not isinstance(raw, dict):
            return None
        expected = raw.get("expected")
        return cls(
            bars_fetched=int(raw.get("bars_fetched") or 0),
            bars_written=int(raw.get("bars_written") or 0),
            expected=None if expected is None else int(expected),
        )


@dataclass(frozen=True)
class JobInfo:
    """A sync job's state. Older gateways send only job_id, status, bars and error."""

    job_id: str
    status: JobStatus
    bars: int | None = None
    error: str | None = None
    symbol: str | None = None
    interval: str | None = None
    progress: JobProgress | None = None
    created_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINAL_STATUSES

    def state(self) -> dict[str, Any]:
        """The state fields only (a subclass's extras, such as a handle's client, left out)."""
        return {f.name: getattr(self, f.name) for f in fields(JobInfo)}

    @staticmethod
    def fields_from_json(raw: dict[str, Any]) -> dict[str, Any]:
        bars = raw.get("bars")
        return {
            "job_id": str(raw["job_id"]),
            "status": raw.get("status", "pending"),
            "bars": None if bars is None else int(bars),
            "error": raw.get("error"),
            "symbol": raw.get("symbol"),
            "interval": raw.get("interval"),
            "progress": JobProgress.from_json(raw.get("progress")),
            "created_at": parse_optional(raw.get("created_at")),
            "started_at": parse_optional(raw.get("started_at")),
            "finished_at": parse_optional(raw.get("finished_at")),
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> JobInfo:
        return cls(**cls.fields_from_json(raw))


@dataclass(frozen=True)
class Quote:
    """The latest quote: `volume` is the day's cumulative volume."""

    symbol: str
    price: float
    volume: float
    ts: datetime
    bid: float | None = None
    ask: float | None = None
    delayed: bool | None = None

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Quote:
        ts = parse_optional(raw.get("ts"))
        if ts is None:
            raise ValueError(f"quote without ts: {raw}")
        return cls(
            symbol=str(raw["symbol"]),
            price=float(raw["price"]),
            volume=float(raw.get("volume") or 0.0),
            ts=ts,
            bid=_float_or_none(raw.get("bid")),
            ask=_float_or_none(raw.get("ask")),
            delayed=raw.get("delayed"),
        )


@dataclass(frozen=True)
class Coverage:
    """The range the read model holds for one interval (open times of its first and last
    bar), and how many bars."""

    interval: str
    start: datetime | None
    end: datetime | None
    bars: int | None = None


@dataclass(frozen=True)
class SymbolInfo:
    symbol: str
    intervals: list[Coverage] = field(default_factory=list)
    description: str | None = None
    type: str | None = None
    exchange: str | None = None
    currency: str | None = None
    timezone: str | None = None

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> SymbolInfo:
        intervals = [
            Coverage(
                interval=str(c["interval"]),
                start=parse_optional(c.get("start")),
                end=parse_optional(c.get("end")),
                bars=c.get("bars"),
            )
            for c in raw.get("intervals") or []
        ]
        return cls(
            symbol=str(raw["symbol"]),
            intervals=intervals,
            description=raw.get("description"),
            type=raw.get("type"),
            exchange=raw.get("exchange"),
            currency=raw.get("currency"),
            timezone=raw.get("timezone"),
        )


@dataclass(frozen=True)
class Subscription:
    """A symbol on the live watchlist."""

    symbol: str
    added_at: datetime | None

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Subscription:
        return cls(symbol=str(raw["symbol"]), added_at=parse_optional(raw.get("added_at")))


def _float_or_none(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]
