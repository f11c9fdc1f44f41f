"""What both stores' partition transactions share: they live inside the runtime's unit of
work, whose outbox they fill and whose commit ends them."""

from __future__ import annotations

from typing import Generic, TypeVar

from pq_runtime.stores import OutboxBuffer
from pq_runtime.stores.ports import UnitOfWork

U = TypeVar("U", bound=UnitOfWork)


class UnitOfWorkTransaction(Generic[U]):
    def __init__(self, uow: U) -> None:
        self._uow = uow

    @property
    def outbox(self) -> OutboxBuffer:
        return self._uow.outbox

    async def commit(self) -> None:
        await self._uow.commit()
