"""Bar events: BarSynced (history chunks), BarCompleted (closed live bars), BarUpdated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ..bar import Bar
from ..interval import Interval
from ..symbol import Symbol
from .common import bar_from_payload, bar_to_payload
from .fields import InvalidEvent, opt_int, req, req_int, req_list, req_str


@dataclass(frozen=True, slots=True)
class BarSynced:
    """A chunk (at most 1,000 bars) of history fetched for a sync job."""

    EVENT_TYPE: ClassVar[str] = "BarSynced"
    SCHEMA_VERSION: ClassVar[int] = 1

    job_id: str
    symbol: Symbol
    interval: Interval
    bars: tuple[Bar, ...]
    chunk: int = 0
    chunks: int = 1

    @property
    def event_id(self) -> str:
        return f"bar-synced:{self.job_id}:{self.chunk}"

    def to_payload(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "symbol": str(self.symbol),
            "interval": self.interval.value,
            "chunk": self.chunk,
            "chunks": self.chunks,
            "bars": [bar_to_payload(b) for b in self.bars],
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> BarSynced:
        try:
            return cls(
                job_id=req_str(p, "job_id"),
                symbol=Symbol.parse(req(p, "symbol")),
                interval=Interval.parse(req_str(p, "interval")),
                bars=tuple(bar_from_payload(b) for b in req_list(p, "bars")),
                chunk=opt_int(p, "chunk", 0),
                chunks=opt_int(p, "chunks", 1),
            )
        except (TypeError, ValueError) as exc:
            raise InvalidEvent(f"BarSynced: {exc}") from exc


@dataclass(frozen=True, slots=True)
class BarCompleted:
    """A closed bar built from live quotes; a later revision corrects an earlier one."""

    EVENT_TYPE: ClassVar[str] = "BarCompleted"
    SCHEMA_VERSION: ClassVar[int] = 1

    symbol: Symbol
    interval: Interval
    bar: Bar
    ticks: int
    revision: int = 0

    @property
    def event_id(self) -> str:
        return f"bar-completed:{self.symbol}:{self.interval.value}:{self.bar.t}:{self.revision}"

    def to_payload(self) -> dict[str, Any]:
        return live_bar_payload(self.symbol, self.interval, self.bar, self.ticks, self.revision)

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> BarCompleted:
        try:
            return cls(
                symbol=Symbol.parse(req(p, "symbol")),
                interval=Interval.parse(req_str(p, "interval")),
                bar=bar_from_payload(p),
                ticks=req_int(p, "ticks"),
                revision=opt_int(p, "revision", 0),
            )
        except (TypeError, ValueError) as exc:
            raise InvalidEvent(f"BarCompleted: {exc}") from exc


def live_bar_payload(
    symbol: Symbol, interval: Interval, b: Bar, ticks: int, revision: int
) -> dict[str, Any]:
    """The payload BarCompleted and BarUpdated share (a forming bar is revision 0)."""
    return {
        "symbol": str(symbol),
        "interval": interval.value,
        "t": b.t,
        "o": b.o,
        "h": b.h,
        "l": b.l,
        "c": b.c,
        "v": b.v,
        "ticks": ticks,
        "revision": revision,
    }


@dataclass(frozen=True, slots=True)
class BarUpdated:
    """The provisional, still-forming bar (core NATS, not durable); same shape as BarCompleted."""

    EVENT_TYPE: ClassVar[str] = "BarUpdated"
    SCHEMA_VERSION: ClassVar[int] = 1

    symbol: Symbol
    interval: Interval
    bar: Bar
    ticks: int

    def to_payload(self) -> dict[str, Any]:
        return live_bar_payload(self.symbol, self.interval, self.bar, self.ticks, 0)
