"""Open each store adapter the contract suite runs against (MongoDB only where reachable)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pq_runtime.stores.adapters.mongo import MongoStore, MongoUnitOfWork
from pq_runtime.stores.adapters.sqlite import SqliteStore, SqliteUnitOfWork

from .counters import COUNTERS_DDL, Counters, MongoCounters, SqliteCounters

Store = SqliteStore | MongoStore


@dataclass
class StoreUnderTest:
    store: Store

    def counters(self, uow: Any) -> Counters:
        if isinstance(uow, SqliteUnitOfWork):
            return SqliteCounters(uow)
        assert isinstance(uow, MongoUnitOfWork)
        return MongoCounters(uow)

    async def counter(self, key: str) -> int:
        async with self.store.unit_of_work() as uow:
            return await self.counters(uow).get(key)


@contextlib.asynccontextmanager
async def open_store_under_test(
    kind: str, tmp_path: Path, mongo_url: str | None = None
) -> AsyncIterator[StoreUnderTest]:
    if kind == "sqlite":
        sqlite = await SqliteStore.open(tmp_path / "store.db")
        await sqlite.ensure_schema(COUNTERS_DDL)
        store: Store = sqlite
    else:
        assert mongo_url is not None
        store = await MongoStore.open(mongo_url, f"pq_test_{uuid.uuid4().hex[:12]}")
    try:
        yield StoreUnderTest(store)
    finally:
        if isinstance(store, MongoStore):
            await store.client.drop_database(store.db.name)
        await store.close()
