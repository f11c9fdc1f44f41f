"""Exponential backoff with jitter, so that many clients dropped at once do not return at once."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(slots=True)
class Backoff:
    initial_s: float = 0.5
    max_s: float = 30.0
    factor: float = 2.0
    attempts: int = 0
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    def next_delay(self, *, at_least: float = 0.0) -> float:
        """The next wait: half fixed, half random ("equal jitter"), never below `at_least`."""
        ceiling = min(self.max_s, self.initial_s * self.factor**self.attempts)
        self.attempts += 1
        return max(at_least, ceiling / 2 + self._rng.uniform(0, ceiling / 2))

    def reset(self) -> None:
        self.attempts = 0
