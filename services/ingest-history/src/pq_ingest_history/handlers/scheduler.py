"""Fire due schedules, once per period across replicas.

Each tick reads every schedule with its KV revision. For a due one: publish its
SyncRequested (job id deterministic per period), then advance `next_due_ms` with a
compare-and-set on the revision read. A replica that lost the race gets a wrong-revision
error and does nothing more; its publish, if it made one, carried the same Nats-Msg-Id as
the winner's and was dropped by the stream. Publishing before the CAS means a crash in
between re-fires the same period (deduplicated) instead of losing it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

import structlog

from pq_domain.events import SyncRequested
from pq_domain.schedule import Schedule

from ..adapters.clock import now_ms

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class StoredSchedule:
    schedule: Schedule
    revision: int


class ScheduleBucket(Protocol):
    async def entries(self) -> list[StoredSchedule]: ...

    async def advance(self, stored: StoredSchedule, updated: Schedule) -> bool:
        """Write `updated` iff the key is still at `stored.revision`; False if it moved on."""
        ...


PublishCommand = Callable[[SyncRequested], Awaitable[None]]


class Scheduler:
    def __init__(
        self,
        bucket: ScheduleBucket,
        publish: PublishCommand,
        *,
        tick_s: float = 1.0,
        clock: Callable[[], int] = now_ms,
        on_fired: Callable[[], None] | None = None,
    ) -> None:
        self._bucket = bucket
        self._publish = publish
        self._tick_s = tick_s
        self._clock = clock
        self._on_fired = on_fired
        self._stop = asyncio.Event()
        self.fired = 0  # periods this replica won

    def stop(self) -> None:
        self._stop.set()

    async def run(self) -> None:
        while not self._stop.is_set():
            try:
                await self.fire_due()
            except Exception as exc:  # NATS away or a bad entry: try again next tick
                log.warning("scheduler.tick_failed", error=repr(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self._tick_s)

    async def fire_due(self) -> int:
        """Fire every due schedule; how many periods this call won."""
        won = 0
        for stored in await self._bucket.entries():
            now = self._clock()
            schedule = stored.schedule
            if not schedule.is_due(now):
                continue
            await self._publish(schedule.command())
            if await self._bucket.advance(stored, schedule.after_firing(now)):
                won += 1
                if self._on_fired is not None:
                    self._on_fired()
                log.info("scheduler.fired", key=schedule.key, job_id=schedule.job_id())
        self.fired += won
        return won
