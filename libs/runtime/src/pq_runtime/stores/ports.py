"""Ports of the stores, used by services, the relay's store side and the consumer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol, TypeVar

from .outbox_buffer import OutboxBuffer

U_co = TypeVar("U_co", covariant=True)


class UnitOfWork(Protocol):
    """One transaction: service state + outbox rows + inbox records commit together.

    Adapters add their own way for repositories to join (SQLite: `run`/`defer` on the
    connection; MongoDB: `session` and `db`), see libs/runtime/README.md.
    """

    @property
    def outbox(self) -> OutboxBuffer: ...

    async def seen(self, consumer: str, event_ids: Sequence[str]) -> set[str]:
        """The subset of `event_ids` this consumer already applied (inbox)."""
        ...

    def mark_processed(self, consumer: str, event_ids: Iterable[str]) -> None:
        """Record `event_ids` as applied by `consumer`, written at commit."""
        ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol[U_co]):
    """A store: `async with store.unit_of_work() as uow: ...; await uow.commit()`."""

    def unit_of_work(self) -> AbstractAsyncContextManager[U_co]: ...
