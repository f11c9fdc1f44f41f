"""A sync's progress while it fetches: SyncJobProgressed through the outbox, per round.

Each round of the provider's answer commits one small unit of work holding one outbox
row, so progress is as durable and as ordered as the job's other events. The count is
capped at what was asked (the provider sends one bar more: the forming one). Progress is
news, not state: if recording it fails, the sync goes on and says so in the log.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

import structlog

from pq_domain.events import SyncJobProgressed, SyncRequested
from pq_domain.subjects import SYNC_JOB_EVENTS
from pq_runtime.stores import UnitOfWork

log = structlog.get_logger(__name__)
UnitsOfWork = Callable[[str], AbstractAsyncContextManager[UnitOfWork]]


class ProgressReporter:
    """The `on_progress` callback of one attempt of a sync."""

    def __init__(
        self, command: SyncRequested, attempt: int, units: UnitsOfWork, clock: Callable[[], int]
    ) -> None:
        self._command, self._attempt = command, attempt
        self._units, self._clock = units, clock
        self._round = 0
        self._last = -1

    async def __call__(self, bars_loaded: int) -> None:
        expected = self._command.bars
        fetched = bars_loaded if expected is None else min(bars_loaded, expected)
        if fetched <= self._last:
            return  # a repeated round (e.g. after a reconnect) tells nothing new
        self._round += 1
        self._last = fetched
        event = SyncJobProgressed(
            self._command.job_id, fetched, expected, at=self._clock(),
            attempt=self._attempt, round=self._round,
        )  # fmt: skip
        try:
            async with self._units("sync.progress") as uow:
                uow.outbox.add(event, SYNC_JOB_EVENTS)
                await uow.commit()
        except Exception as exc:
            log.warning("sync.progress_not_recorded", job_id=event.job_id, error=repr(exc))
