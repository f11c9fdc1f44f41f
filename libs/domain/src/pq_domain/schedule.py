"""A re-sync schedule in the PQ_SCHEDULES bucket: key, value, and the arithmetic of firing.

The gateway writes schedules (PUT /v1/schedules/...) and ingest-history fires them, so
the value is a contract between the two, defined here once.

Key: the symbol's escaped subject tokens and the interval, `NYSE.BRK~2EB.1h`.
Value: `{"symbol", "interval", "every_s", "bars", "next_due_ms", "owner"}`; `owner` (the
gateway's API key id that made it) is carried through firings. A missing `next_due_ms`
means due now.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from .events import SyncRequested
from .interval import Interval
from .subject_tokens import symbol_tokens
from .symbol import Symbol

MIN_EVERY_S = 1.0
MAX_BARS = 20_000


class InvalidSchedule(ValueError):
    """A bucket value that is not a schedule."""


def schedule_key(symbol: Symbol, interval: Interval) -> str:
    return f"{symbol_tokens(symbol)}.{interval.value}"


@dataclass(frozen=True, slots=True)
class Schedule:
    symbol: Symbol
    interval: Interval
    every_s: float  # the period
    bars: int  # how many of the newest bars each firing re-syncs
    next_due_ms: int  # epoch ms of the next firing
    owner: str | None = None  # the gateway's: who may change it; kept as it is

    def __post_init__(self) -> None:
        if not self.every_s >= MIN_EVERY_S:
            raise InvalidSchedule(f"every_s must be at least {MIN_EVERY_S}, got {self.every_s}")
        if not 1 <= self.bars <= MAX_BARS:
            raise InvalidSchedule(f"bars must be 1..{MAX_BARS}, got {self.bars}")

    @property
    def key(self) -> str:
        return schedule_key(self.symbol, self.interval)

    def is_due(self, now_ms: int) -> bool:
        return self.next_due_ms <= now_ms

    def job_id(self) -> str:
        """Deterministic per (schedule, period): every replica firing this period agrees on it,
        so a second publish is dropped by the stream's duplicate window and by the inbox."""
        return f"sched-{self.key}-{self.next_due_ms}"

    def command(self) -> SyncRequested:
        return SyncRequested(self.job_id(), self.symbol, self.interval, bars=self.bars)

    def after_firing(self, now_ms: int) -> Schedule:
        """The schedule with `next_due_ms` on its own grid, the first point after `now_ms`.

        Periods missed while no replica ran are skipped, not fired in a burst.
        """
        period_ms = max(1, round(self.every_s * 1000))
        missed = max(0, (now_ms - self.next_due_ms) // period_ms)
        return replace(self, next_due_ms=self.next_due_ms + (missed + 1) * period_ms)

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "symbol": str(self.symbol),
            "interval": self.interval.value,
            "every_s": self.every_s,
            "bars": self.bars,
            "next_due_ms": self.next_due_ms,
        }
        if self.owner is not None:
            payload["owner"] = self.owner
        return payload

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], *, now_ms: int) -> Schedule:
        """A missing `next_due_ms` means due now (a writer that wants it fired at once)."""
        try:
            due = p.get("next_due_ms")
            owner = p.get("owner")
            return cls(
                symbol=Symbol.parse(p["symbol"]),
                interval=Interval.parse(p["interval"]),
                every_s=float(p["every_s"]),
                bars=int(p["bars"]),
                next_due_ms=now_ms if due is None else int(due),
                owner=owner if isinstance(owner, str) else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidSchedule(f"not a schedule: {exc!r}") from exc
