"""A load run's parameters: where, how fast, how long, how many."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LoadPlan:
    rate_per_s: float
    duration_s: float
    max_requests: int | None = None  # None: rate x duration
    max_in_flight: int = 10_000  # beyond this, a due request is counted as a client error

    def __post_init__(self) -> None:
        if not (math.isfinite(self.rate_per_s) and self.rate_per_s > 0):
            raise ValueError("rate must be a positive number of requests per second")
        if not (math.isfinite(self.duration_s) and self.duration_s > 0):
            raise ValueError("duration must be a positive number of seconds")
        if self.max_requests is not None and self.max_requests < 1:
            raise ValueError("max requests must be at least 1")
        if self.max_in_flight < 1:
            raise ValueError("max in flight must be at least 1")

    @property
    def interval_s(self) -> float:
        return 1.0 / self.rate_per_s

    @property
    def total_requests(self) -> int:
        """How many requests the schedule holds: every slot that starts inside the duration."""
        slots = math.ceil(self.duration_s * self.rate_per_s - 1e-9)
        return slots if self.max_requests is None else min(slots, self.max_requests)

    def due_at(self, index: int) -> float:
        """When request `index` (0-based) is due, in seconds after the start."""
        return index * self.interval_s
