"""Event time. By default it is the wall clock itself, read when a packet is made, so quotes'
`lp_time` and forming bars are the present as the real server's are. A fixed start or a speed
(tests) gives `anchor + (wall - wall0) * speed`: 60x runs one market minute per second."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass(slots=True)
class SimClock:
    anchor_ms: int
    speed: float = 1.0
    wall0: float = field(default_factory=time.monotonic)
    realtime: bool = False  # event time is time.time(), with no offset at all

    @classmethod
    def present(cls) -> SimClock:
        return cls(time.time_ns() // 1_000_000, realtime=True)

    def now_ms(self) -> int:
        if self.realtime:
            return time.time_ns() // 1_000_000
        return self.anchor_ms + int((time.monotonic() - self.wall0) * 1000 * self.speed)

    def seconds_until(self, event_ms: int) -> float:
        """Wall seconds until event time reaches `event_ms` (negative: already past)."""
        return (event_ms - self.now_ms()) / 1000 / self.speed
