"""Commands: SyncRequested (the contract's accepted exception to past-tense names)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ..interval import Interval
from ..symbol import Symbol
from .fields import InvalidEvent, nullable_int, req, req_str


@dataclass(frozen=True, slots=True)
class SyncRequested:
    EVENT_TYPE: ClassVar[str] = "SyncRequested"
    SCHEMA_VERSION: ClassVar[int] = 1

    job_id: str
    symbol: Symbol
    interval: Interval
    bars: int | None = None
    start: int | None = None  # epoch ms, inclusive
    end: int | None = None  # epoch ms, exclusive

    @property
    def event_id(self) -> str:
        return f"sync-requested:{self.job_id}"

    def to_payload(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "symbol": str(self.symbol),
            "interval": self.interval.value,
            "bars": self.bars,
            "start": self.start,
            "end": self.end,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> SyncRequested:
        try:
            return cls(
                job_id=req_str(p, "job_id"),
                symbol=Symbol.parse(req(p, "symbol")),
                interval=Interval.parse(req_str(p, "interval")),
                bars=nullable_int(p, "bars"),
                start=nullable_int(p, "start"),
                end=nullable_int(p, "end"),
            )
        except (TypeError, ValueError) as exc:
            raise InvalidEvent(f"SyncRequested: {exc}") from exc
