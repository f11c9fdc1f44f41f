"""A unit of work that runs hooks after its commit succeeded (cache invalidation).

The runtime's BatchConsumer commits the unit of work it opened; wrapping the store lets
a projection say "after this batch is durable, bump the cache versions" without the
consumer knowing about caches. A failing hook is logged, never raised: the batch is
committed, and raising would only make the consumer retry it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Generic, TypeVar

import structlog

from pq_runtime.stores import OutboxBuffer, UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger(__name__)
U = TypeVar("U", bound=UnitOfWork)
Hook = Callable[[], Awaitable[None]]


class HookedUnitOfWork(Generic[U]):
    def __init__(self, inner: U) -> None:
        self.inner = inner
        self._hooks: list[Hook] = []

    @property
    def outbox(self) -> OutboxBuffer:
        return self.inner.outbox

    async def seen(self, consumer: str, event_ids: Sequence[str]) -> set[str]:
        return await self.inner.seen(consumer, event_ids)

    def mark_processed(self, consumer: str, event_ids: Iterable[str]) -> None:
        self.inner.mark_processed(consumer, event_ids)

    def after_commit(self, hook: Hook) -> None:
        self._hooks.append(hook)

    async def commit(self) -> None:
        await self.inner.commit()
        for hook in self._hooks:
            try:
                await hook()
            except Exception as exc:
                log.warning("projection.after_commit_failed", error=repr(exc))

    async def rollback(self) -> None:
        self._hooks.clear()
        await self.inner.rollback()


class HookedStore(Generic[U]):
    def __init__(self, store: UnitOfWorkFactory[U]) -> None:
        self._store = store

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[HookedUnitOfWork[U]]:
        async with self._store.unit_of_work() as inner:
            yield HookedUnitOfWork(inner)
