"""A live feed with sync job events mixed in: one queue, both closed together."""

from __future__ import annotations

from .frames import SseEvent
from .job_feed import JobFeed
from .live_feed import LiveFeed


class CombinedFeed:
    def __init__(self, live: LiveFeed, jobs: JobFeed | None) -> None:
        self._live, self._jobs = live, jobs

    async def next_event(self) -> SseEvent:
        return await self._live.next_event()

    async def close(self) -> None:
        if self._jobs is not None:
            await self._jobs.close()
        await self._live.close()
