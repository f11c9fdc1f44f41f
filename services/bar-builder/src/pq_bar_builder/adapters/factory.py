"""Open the store PQ_STORE_URL names and the partition state adapter that fits it.

`sqlite:///path.db` -> SqlitePartitionState; `mongodb://...` -> MongoPartitionState. The
runtime store (outbox, relay) and the partition state share one unit of work.
"""

from __future__ import annotations

from pq_runtime.stores.adapters.sqlite import SqliteStore
from pq_runtime.stores.factory import Store, open_store

from ..ports import PartitionStateStore
from .mongo_partition_state import MongoPartitionState
from .sqlite_partition_state import SqlitePartitionState


async def open_partition_state(url: str) -> tuple[Store, PartitionStateStore]:
    """The runtime store and the partition state on it; raises ValueError for other URLs."""
    store = await open_store(url)
    try:
        state: PartitionStateStore
        if isinstance(store, SqliteStore):
            state = await SqlitePartitionState.open(store)
        else:
            state = await MongoPartitionState.open(store)
    except BaseException:
        await store.close()
        raise
    return store, state
