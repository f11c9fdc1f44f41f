"""Aggregator settings and counters."""

from __future__ import annotations

from dataclasses import dataclass

from ..interval import ALL_INTERVALS, Interval


@dataclass(frozen=True, slots=True)
class AggregatorConfig:
    """How long bars wait for their ticks (all durations in ms).

    - `grace_ms`: a bar closes once the symbol's watermark (max event ts seen)
      reaches `end + grace_ms`.
    - `lateness_ms`: a closed bar keeps its state until the watermark reaches
      `end + grace_ms + lateness_ms`; a tick for it before then emits a revision,
      after then it is dropped and counted.
    - `idle_timeout_ms`: after this much wall time without a quote for a symbol,
      `on_clock` closes its bars whose `end + grace_ms` lies before the symbol's
      extrapolated event time (see BarAggregator).
    """

    intervals: tuple[Interval, ...] = ALL_INTERVALS
    grace_ms: int = 2_000
    lateness_ms: int = 60_000
    idle_timeout_ms: int = 10_000

    def __post_init__(self) -> None:
        if not self.intervals or len(set(self.intervals)) != len(self.intervals):
            raise ValueError("intervals must be non-empty and distinct")
        if self.grace_ms < 0 or self.lateness_ms < 0 or self.idle_timeout_ms <= 0:
            raise ValueError("grace and lateness must be >= 0, idle timeout > 0")

    def to_dict(self) -> dict[str, object]:
        return {
            "intervals": [i.value for i in self.intervals],
            "grace_ms": self.grace_ms,
            "lateness_ms": self.lateness_ms,
            "idle_timeout_ms": self.idle_timeout_ms,
        }


class Counters:
    """What the aggregator did besides building bars; shared by its symbol states."""

    __slots__ = ("completed", "dropped_late", "off_session", "revisions")

    def __init__(
        self, completed: int = 0, dropped_late: int = 0, revisions: int = 0, off_session: int = 0
    ) -> None:
        self.completed = completed  # BarCompleted events with revision 0
        self.revisions = revisions  # BarCompleted events with revision >= 1
        self.dropped_late = dropped_late  # (quote, interval) pairs past the lateness window
        self.off_session = off_session  # quotes between a close and the next open: no bar

    def to_dict(self) -> dict[str, int]:
        return {
            "completed": self.completed,
            "dropped_late": self.dropped_late,
            "off_session": self.off_session,
            "revisions": self.revisions,
        }
