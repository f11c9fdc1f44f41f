"""Event time: `anchor + (wall - wall0) * speed`, so 60x runs one market minute per second."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass(slots=True)
class SimClock:
    anchor_ms: int
    speed: float = 1.0
    wall0: float = field(default_factory=time.monotonic)

    def now_ms(self) -> int:
        return self.anchor_ms + int((time.monotonic() - self.wall0) * 1000 * self.speed)
