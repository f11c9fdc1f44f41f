"""A unit of work with no store behind it, for a consumer whose only effect is Redis.

The latest-quote projection is idempotent by itself (a quote never replaces a newer one),
so it needs neither an inbox nor a database transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager

from pq_runtime.stores import OutboxBuffer


class NoTransaction:
    def __init__(self) -> None:
        self._outbox = OutboxBuffer()

    @property
    def outbox(self) -> OutboxBuffer:
        return self._outbox

    async def seen(self, consumer: str, event_ids: Sequence[str]) -> set[str]:
        return set()

    def mark_processed(self, consumer: str, event_ids: Iterable[str]) -> None:
        return None

    async def commit(self) -> None:
        return None

    async def rollback(self) -> None:
        return None


class NoStore:
    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[NoTransaction]:
        yield NoTransaction()
