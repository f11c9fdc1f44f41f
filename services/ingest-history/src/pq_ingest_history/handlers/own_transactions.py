"""A unit-of-work factory whose units do nothing, for a handler that opens its own.

The runtime's BatchConsumer opens a unit of work around the handler. The sync handler
must not hold a store transaction (SQLite's write lock) through a fetch that takes
seconds, so its consumer gets this factory and the handler opens short units of work
itself: one before the fetch, one after, the inbox check inside the second.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import TracebackType

from pq_runtime.stores import OutboxBuffer


class NoTransaction:
    """Satisfies pq_runtime's UnitOfWork; nothing is written through it."""

    def __init__(self) -> None:
        self._outbox = OutboxBuffer()

    @property
    def outbox(self) -> OutboxBuffer:
        return self._outbox

    async def __aenter__(self) -> NoTransaction:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._outbox.pending:
            raise RuntimeError("events appended to NoTransaction would be lost")

    async def seen(self, consumer: str, event_ids: Sequence[str]) -> set[str]:
        return set()

    def mark_processed(self, consumer: str, event_ids: Iterable[str]) -> None:
        raise RuntimeError("NoTransaction keeps no inbox: use natural_key idempotency")

    async def commit(self) -> None:
        return None

    async def rollback(self) -> None:
        return None


class HandlerOwnsTransactions:
    def unit_of_work(self) -> NoTransaction:
        return NoTransaction()
