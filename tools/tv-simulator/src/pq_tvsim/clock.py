"""Event time. By default it is the wall clock itself, read when a packet is made, so quotes'
`lp_time` and forming bars are the present as the real server's are. A fixed start or a speed
(tests) gives `anchor + (wall - wall0) * speed`: 60x runs one market minute per second.

A test may change the speed while the simulator runs (`set_speed`, `POST /control/clock`):
event time goes on from where it is, so it never jumps or runs back; speed 0 holds it still.
A change may be a sprint: `speed` until event time `until_ms`, then `then`. The clock makes
the second change itself, exactly at `until_ms`, so a test can hurry through the hours
between two sessions and be sure to be back at market pace before the next open, however
late the test process itself gets to run."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


@dataclass(slots=True)
class SimClock:
    anchor_ms: int
    speed: float = 1.0
    wall0: float = field(default_factory=time.monotonic)
    realtime: bool = False  # event time is time.time(), with no offset at all
    # a sprint's end: at event time `sprint_until_ms` the speed becomes `after_sprint`
    sprint_until_ms: int | None = None
    after_sprint: float = 0.0
    # history rounds read the clock on a worker thread: changes and reads hold this
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def present(cls) -> SimClock:
        return cls(time.time_ns() // 1_000_000, realtime=True)

    def now_ms(self) -> int:
        if self.realtime:
            return time.time_ns() // 1_000_000
        with self._lock:
            return self._now_ms(time.monotonic())

    def _now_ms(self, now: float) -> int:
        if self.sprint_until_ms is not None:
            ends_at = self.wall0 + (self.sprint_until_ms - self.anchor_ms) / 1000 / self.speed
            if now >= ends_at:  # re-anchored where the sprint ended, not where it is read
                self.anchor_ms, self.wall0 = self.sprint_until_ms, ends_at
                self.speed, self.sprint_until_ms = self.after_sprint, None
        return self.anchor_ms + int((now - self.wall0) * 1000 * self.speed)

    def seconds_until(self, event_ms: int) -> float:
        """Wall seconds until event time reaches `event_ms` (negative: already past;
        infinite while the clock is held still)."""
        remaining = event_ms - self.now_ms()
        if self.speed == 0:
            return float("inf") if remaining > 0 else 0.0
        return remaining / 1000 / self.speed

    def set_speed(
        self, speed: float, *, until_ms: int | None = None, then: float | None = None
    ) -> None:
        """Go on from the present event time at `speed` (0: hold it still); with `until_ms`,
        only until that event time, and at `then` after it."""
        if speed < 0 or (then is not None and then < 0):
            raise ValueError("a clock's speed is 0 or more")
        now_ms = self.now_ms()
        if until_ms is not None and (until_ms <= now_ms or speed == 0 or then is None):
            raise ValueError("a sprint needs a speed over 0, a later event time and a `then`")
        with self._lock:
            wall = time.monotonic()
            self.anchor_ms = now_ms if self.realtime else self._now_ms(wall)
            self.wall0, self.speed, self.realtime = wall, speed, False
            self.sprint_until_ms, self.after_sprint = until_ms, then or 0.0
