"""An example service repository, one adapter per store, joining the unit of work.

This is the pattern a service follows for its own state (see libs/runtime/README.md):
the SQLite adapter queues its writes with `uow.defer` (run at commit, same transaction)
or reads with `uow.run`; the MongoDB adapter passes `session=uow.session` on `uow.db`.
"""

from __future__ import annotations

import sqlite3
from typing import Protocol

from pq_runtime.stores.adapters.mongo import MongoUnitOfWork
from pq_runtime.stores.adapters.sqlite import SqliteUnitOfWork

COUNTERS_DDL = "CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, n INTEGER NOT NULL)"


class Counters(Protocol):
    async def add(self, key: str, n: int) -> None: ...

    async def get(self, key: str) -> int: ...


class SqliteCounters:
    def __init__(self, uow: SqliteUnitOfWork) -> None:
        self._uow = uow

    async def add(self, key: str, n: int) -> None:
        self._uow.defer(
            lambda c: c.execute(
                "INSERT INTO counters (key, n) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET n = n + excluded.n",
                (key, n),
            )
        )

    async def get(self, key: str) -> int:
        def read(c: sqlite3.Connection) -> int:
            row = c.execute("SELECT n FROM counters WHERE key = ?", (key,)).fetchone()
            return 0 if row is None else int(row[0])

        return await self._uow.run(read)


class MongoCounters:
    def __init__(self, uow: MongoUnitOfWork) -> None:
        self._uow = uow

    async def add(self, key: str, n: int) -> None:
        await self._uow.db["counters"].update_one(
            {"_id": key}, {"$inc": {"n": n}}, upsert=True, session=self._uow.session
        )

    async def get(self, key: str) -> int:
        doc = await self._uow.db["counters"].find_one({"_id": key}, session=self._uow.session)
        return 0 if doc is None else int(doc["n"])
