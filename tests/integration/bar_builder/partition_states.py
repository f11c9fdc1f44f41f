"""Open each partition-state adapter the contract suite runs against, on a fresh store."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from pq_bar_builder.adapters.mongo_partition_state import MongoPartitionState
from pq_bar_builder.adapters.sqlite_partition_state import SqlitePartitionState
from pq_bar_builder.ports import PartitionStateStore
from pq_runtime.stores.adapters.mongo import MongoStore
from pq_runtime.stores.adapters.sqlite import SqliteStore
from pq_runtime.stores.factory import Store


@dataclass(frozen=True)
class StateUnderTest:
    store: Store  # the runtime store under the adapter: its outbox shares the transaction
    state: PartitionStateStore

    async def pending_outbox_rows(self) -> int:
        return (await self.store.outbox.stats()).pending

    async def reopened(self) -> PartitionStateStore:
        """The adapter opened again on the same store, as at the next start."""
        if isinstance(self.store, SqliteStore):
            return await SqlitePartitionState.open(self.store)
        return await MongoPartitionState.open(self.store)


@contextlib.asynccontextmanager
async def open_state_under_test(
    kind: str, tmp_path: Path, mongo_url: str | None = None
) -> AsyncIterator[StateUnderTest]:
    store: Store
    state: PartitionStateStore
    if kind == "sqlite":
        store = await SqliteStore.open(tmp_path / "bar-builder.db")
        state = await SqlitePartitionState.open(store)
    else:
        assert mongo_url is not None
        # A database of its own, dropped after: PQ_TEST_MONGODB_URL may be a shared server.
        store = await MongoStore.open(mongo_url, f"pq_test_bb_{uuid.uuid4().hex[:12]}")
        state = await MongoPartitionState.open(store)
    try:
        yield StateUnderTest(store, state)
    finally:
        if isinstance(store, MongoStore):
            await store.client.drop_database(store.db.name)
        await store.close()
