"""`LogThrottle`: one warning per interval for a failure that repeats on every request."""

from __future__ import annotations

import time


class LogThrottle:
    def __init__(self, every_s: float = 10.0) -> None:
        self._every_s = every_s
        self._last = float("-inf")

    def due(self) -> bool:
        """True at most once per `every_s` seconds: then it is time to log again."""
        now = time.monotonic()
        if now - self._last < self._every_s:
            return False
        self._last = now
        return True
