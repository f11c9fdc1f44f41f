"""Time as the scheduler sees it; tests inject a fake one to check rates without waiting."""

from __future__ import annotations

import asyncio
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a monotonic scale."""
        ...

    async def sleep_until(self, deadline: float) -> None:
        """Return at or after `deadline` (at once if it has passed)."""
        ...


class LoopClock:
    """The event loop's monotonic clock, the one asyncio's timers run on."""

    def now(self) -> float:
        return asyncio.get_running_loop().time()

    async def sleep_until(self, deadline: float) -> None:
        delay = deadline - self.now()
        # sleep(0) still yields, so responses are handled even when the schedule is behind.
        await asyncio.sleep(max(delay, 0.0))
