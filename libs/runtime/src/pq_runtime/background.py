"""A service's background tasks: started by name, failures surfaced, stopped in order.

Every worker service runs loops beside its HTTP shell (consumers, relays, heartbeats).
An exception that ends one must not vanish into an unawaited task: it is logged at once
and shown by `failures()`, which the service's /health reports. Shutdown goes in the
order the service needs (producers before the relay that publishes what they
committed), each step with a deadline past which its tasks are cancelled, so a stuck
loop never holds a shutdown forever.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

import structlog

log = structlog.get_logger(__name__)


class BackgroundTasks:
    def __init__(self) -> None:
        self._tasks: dict[str, asyncio.Task[Any]] = {}
        self._failures: dict[str, str] = {}

    def start(self, name: str, job: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        if name in self._tasks:
            job.close()
            raise ValueError(f"a background task named {name!r} is already running")
        task = asyncio.create_task(job, name=name)
        task.add_done_callback(self._ended)
        self._tasks[name] = task
        return task

    def __getitem__(self, name: str) -> asyncio.Task[Any]:
        return self._tasks[name]

    def __contains__(self, name: object) -> bool:
        return name in self._tasks

    @property
    def names(self) -> list[str]:
        return list(self._tasks)

    def ended(self) -> list[str]:
        """Tasks that are no longer running (they are meant to run until stopped)."""
        return sorted(name for name, task in self._tasks.items() if task.done())

    def failures(self) -> dict[str, str]:
        """Tasks that ended by an exception: name -> the exception, for /health."""
        return dict(self._failures)

    async def stop(self, *names: str, timeout_s: float, cancel: bool = False) -> None:
        """Wait up to `timeout_s` for these tasks to end (after asking them by `cancel`, or
        by whatever the caller did to their loop), then cancel what is left."""
        tasks = [self._tasks.pop(n) for n in names if n in self._tasks]
        if not tasks:
            return
        if cancel:
            for task in tasks:
                task.cancel()
        _, stuck = await asyncio.wait(tasks, timeout=timeout_s)
        if stuck:  # name what did not stop in time
            log.warning("shutdown.tasks_stuck", tasks=sorted(t.get_name() for t in stuck))
            for task in stuck:
                task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def stop_all(self, *, timeout_s: float) -> None:
        await self.stop(*self._tasks, timeout_s=timeout_s, cancel=True)

    def _ended(self, task: asyncio.Task[Any]) -> None:
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            self._failures[task.get_name()] = f"{type(error).__name__}: {error}"
            log.error("background_task.failed", task=task.get_name(), exc_info=error)
