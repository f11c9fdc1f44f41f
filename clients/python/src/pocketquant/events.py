"""Typed events of `client.stream(...)` (the gateway's Server-Sent Events)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .models import JobInfo, Quote
from .times import parse_optional


@dataclass(frozen=True)
class QuoteEvent:
    """A live quote (`event: quote`)."""

    quote: Quote

    @property
    def symbol(self) -> str:
        return self.quote.symbol


@dataclass(frozen=True)
class BarEvent:
    """A bar: `provisional` while it forms (`bar.provisional`), else completed
    (`bar.completed`, which carries `id`, its position in the bar stream)."""

    symbol: str
    interval: str
    time: datetime
    open: float
    high: float
    low: float
    close: float
    volume: float
    provisional: bool
    revision: int = 0
    ticks: int | None = None
    id: str | None = None


@dataclass(frozen=True)
class JobEvent:
    """A sync job's progress or end (`job.progress`, `job.done`), where the gateway sends them."""

    job: JobInfo
    done: bool


StreamEvent = QuoteEvent | BarEvent | JobEvent


def typed_event(kind: str, data: str, event_id: str | None) -> StreamEvent | None:
    """The typed event of one SSE message, None for kinds this SDK does not know."""
    if kind not in ("quote", "bar.provisional", "bar.completed", "job.progress", "job.done"):
        return None
    payload: dict[str, Any] = json.loads(data)
    if kind == "quote":
        return QuoteEvent(Quote.from_json(payload))
    if kind.startswith("job."):
        return JobEvent(JobInfo.from_json(payload), done=kind == "job.done")
    moment = parse_optional(payload.get("t"))
    if moment is None:
        raise ValueError(f"bar event without t: {payload}")
    return BarEvent(
        symbol=str(payload["symbol"]),
        interval=str(payload["interval"]),
        time=moment,
        open=float(payload["o"]),
        high=float(payload["h"]),
        low=float(payload["l"]),
        close=float(payload["c"]),
        volume=float(payload["v"]),
        provisional=kind == "bar.provisional",
        revision=int(payload.get("revision") or 0),
        ticks=payload.get("ticks"),
        id=event_id,
    )
