"""The MongoDB unit of work: one multi-document transaction (needs a replica set).

Repositories join it by passing `session=uow.session` to every operation on `uow.db`.
Outbox rows take their `seq` from a counter document incremented in the same
transaction, so concurrent writers serialise on it and seq order is commit order.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import Any

from pymongo import ReturnDocument, UpdateOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from ...outbox_buffer import OutboxBuffer
from ...signal import CommitSignal
from .documents import COUNTERS, INBOX, OUTBOX, inbox_id, outbox_document


class MongoUnitOfWork:
    def __init__(self, db: AsyncDatabase[dict[str, Any]], signal: CommitSignal) -> None:
        self.db = db
        self._signal = signal
        self._outbox = OutboxBuffer()
        self._inbox: list[tuple[str, str]] = []
        self._session: AsyncClientSession | None = None

    @property
    def outbox(self) -> OutboxBuffer:
        return self._outbox

    @property
    def session(self) -> AsyncClientSession:
        if self._session is None:
            raise RuntimeError("unit of work not entered")
        return self._session

    async def __aenter__(self) -> MongoUnitOfWork:
        self._session = self.db.client.start_session()
        await self._session.start_transaction()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        session = self.session
        try:
            if session.in_transaction:
                await session.abort_transaction()
        finally:
            await session.end_session()

    async def seen(self, consumer: str, event_ids: Sequence[str]) -> set[str]:
        if not event_ids:
            return set()
        ids = [inbox_id(consumer, e) for e in event_ids]
        cursor = self.db[INBOX].find({"_id": {"$in": ids}}, {"_id": 1}, session=self.session)
        return {doc["_id"]["e"] async for doc in cursor}

    def mark_processed(self, consumer: str, event_ids: Iterable[str]) -> None:
        self._inbox.extend((consumer, e) for e in event_ids)

    async def commit(self) -> None:
        s = self.session
        pending = self._outbox.pending
        if pending:
            counter = await self.db[COUNTERS].find_one_and_update(
                {"_id": "outbox"},
                {"$inc": {"seq": len(pending)}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
                session=s,
            )
            assert counter is not None  # upsert with ReturnDocument.AFTER
            first = int(counter["seq"]) - len(pending) + 1
            docs = [outbox_document(first + i, p) for i, p in enumerate(pending)]
            await self.db[OUTBOX].insert_many(docs, session=s)
        if self._inbox:
            now = time.time()
            await self.db[INBOX].bulk_write(
                [
                    UpdateOne({"_id": inbox_id(c, e)}, {"$setOnInsert": {"at": now}}, upsert=True)
                    for c, e in self._inbox
                ],
                ordered=False,
                session=s,
            )
        await s.commit_transaction()
        if pending:
            self._signal.notify()

    async def rollback(self) -> None:
        if self.session.in_transaction:
            await self.session.abort_transaction()
