"""Identical reads in flight share one request upstream, never one begun before they came.

32 clients polling the same page must not cost the query service 32 answers, but a
read must not be answered by a request that left before it arrived either: that request
may predate a write the reader already saw complete (a sync job's end, say). So a read
of a URL nobody is fetching starts a fetch; a read that comes while one is in flight
waits for the *next* fetch, which starts the moment the current one lands and serves
every read that queued behind it. Each answer is therefore at least as new as its read,
as if each had gone upstream alone; at most two fetches per URL exist at any time.
The first fetch runs in its reader's task (nobody else waits for it); a queued fetch runs
as a task of its own, so a reader that disconnects cancels only its own wait.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")
Fetch = Callable[[], Awaitable[T]]


class _Slot(Generic[T]):
    __slots__ = ("next", "next_fetch")

    def __init__(self) -> None:
        self.next: asyncio.Future[T] | None = None  # the fetch queued behind the current one
        self.next_fetch: Fetch[T] | None = None


class ReadFlights(Generic[T]):
    def __init__(self) -> None:
        self._slots: dict[str, _Slot[T]] = {}
        self._tasks: set[asyncio.Task[T]] = set()

    async def share(self, key: str, fetch: Fetch[T]) -> T:
        """`fetch()`'s result, or that of a fetch of `key` begun after this call."""
        slot = self._slots.get(key)
        if slot is None:
            # Nobody else wants this fetch (later reads wait for the next one): it runs in
            # the reader's own task, at no cost beyond the fetch.
            slot = self._slots[key] = _Slot()
            try:
                return await fetch()
            finally:
                self._landed(key, slot)
        if slot.next is None:
            slot.next = asyncio.get_running_loop().create_future()
            slot.next_fetch = fetch
        return await asyncio.shield(slot.next)

    def _landed(self, key: str, slot: _Slot[T]) -> None:
        """A fetch of `key` is over: start the one the reads queued behind it wait for."""
        if slot.next is None or slot.next_fetch is None:
            del self._slots[key]
            return
        queued, fetch = slot.next, slot.next_fetch
        slot.next = slot.next_fetch = None

        async def run() -> T:
            return await fetch()

        # A task of its own: any of its readers may go away without taking it along.
        task = asyncio.create_task(run())
        self._tasks.add(task)
        task.add_done_callback(lambda done: self._deliver(key, slot, done, queued))

    def _deliver(
        self, key: str, slot: _Slot[T], done: asyncio.Task[T], queued: asyncio.Future[T]
    ) -> None:
        self._tasks.discard(done)
        if done.cancelled():
            queued.cancel()
        elif (error := done.exception()) is not None:
            queued.set_exception(error)
            queued.add_done_callback(_retrieved)  # every waiter may have gone
        else:
            queued.set_result(done.result())
        self._landed(key, slot)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


def _retrieved(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()
