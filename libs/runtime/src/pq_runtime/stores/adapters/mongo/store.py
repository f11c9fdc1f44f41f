"""A service's MongoDB store (PyMongo's async API).

Multi-document transactions need a replica set (a single-node replica set is enough:
`mongod --replSet rs0` then `rs.initiate()`); a standalone mongod refuses them.
"""

from __future__ import annotations

import time
from typing import Any

from pymongo import ASCENDING, AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from ...signal import CommitSignal
from .documents import INBOX, OUTBOX
from .outbox import MongoOutbox
from .uow import MongoUnitOfWork


class MongoStore:
    """`store = await MongoStore.open(url, "bar_builder")`; `async with store.unit_of_work()`."""

    def __init__(self, client: AsyncMongoClient[dict[str, Any]], db_name: str) -> None:
        self.client = client
        self.db: AsyncDatabase[dict[str, Any]] = client[db_name]
        self.signal = CommitSignal()
        self.outbox = MongoOutbox(self.db, self.signal)

    @classmethod
    async def open(
        cls, url: str, db_name: str | None = None, *, default_db: str = "pocketquant"
    ) -> MongoStore:
        """`db_name`, else the database in the URL, else `default_db`."""
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url)
        name = db_name or client.get_default_database(default=default_db).name
        store = cls(client, name)
        await store.ensure_indexes()
        return store

    async def ensure_indexes(self) -> None:
        outbox = self.db[OUTBOX]
        await outbox.create_index([("sent", ASCENDING), ("_id", ASCENDING)])
        await outbox.create_index([("sent", ASCENDING), ("lease_until", ASCENDING)])
        await outbox.create_index([("sent_at", ASCENDING)], sparse=True)
        await self.db[INBOX].create_index([("at", ASCENDING)])

    def unit_of_work(self) -> MongoUnitOfWork:
        return MongoUnitOfWork(self.db, self.signal)

    async def purge_inbox(self, older_than_s: float) -> int:
        cutoff = time.time() - older_than_s
        result = await self.db[INBOX].delete_many({"at": {"$lt": cutoff}})
        return result.deleted_count

    async def ping(self) -> None:
        await self.db.command("ping")

    async def close(self) -> None:
        await self.client.close()
