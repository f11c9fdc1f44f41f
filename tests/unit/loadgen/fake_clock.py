"""A clock that jumps instead of waiting, with an optional stall to simulate a frozen client."""

from __future__ import annotations

import asyncio


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.t = start
        self.sleeps: list[float] = []  # each deadline asked for
        self._stall_at: float | None = None
        self._stall_s = 0.0

    def stall(self, at: float, seconds: float) -> None:
        """The first wake-up at or after `at` (relative to the start) comes `seconds` late."""
        self._stall_at, self._stall_s = at, seconds

    def now(self) -> float:
        return self.t

    async def sleep_until(self, deadline: float) -> None:
        self.sleeps.append(deadline)
        self.t = max(self.t, deadline)
        if self._stall_at is not None and self.t >= self._stall_at:
            self.t += self._stall_s
            self._stall_at = None
        await asyncio.sleep(0)  # let the in-flight senders run, as a real sleep would
