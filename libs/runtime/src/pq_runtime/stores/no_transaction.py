"""A unit of work with no store behind it, for a consumer that needs none from the runtime.

Two kinds of consumer use it: one whose only effect is idempotent by itself (query's
latest-quote projection into Redis), and one whose handler opens its own short units of
work (ingest-history must not hold SQLite's write lock through a fetch that takes
seconds). Neither may record events or inbox entries through it: both would be lost, so
both raise instead of vanishing silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import TracebackType

from .outbox_buffer import OutboxBuffer


class NoTransaction:
    """Satisfies UnitOfWork; nothing is written through it."""

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
        raise RuntimeError("NoTransaction keeps no inbox: use natural-key idempotency")

    async def commit(self) -> None:
        return None

    async def rollback(self) -> None:
        return None


class NoStore:
    """A UnitOfWorkFactory of NoTransactions."""

    def unit_of_work(self) -> NoTransaction:
        return NoTransaction()
