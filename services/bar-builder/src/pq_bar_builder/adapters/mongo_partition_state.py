"""Partition state in MongoDB, in the runtime's unit of work (one multi-document transaction).

`bar_builder_partitions` holds one document per partition: the tracking record
(`last_seq`, the last applied stream sequence) and the `fence` (who may write);
`bar_builder_symbol_states` holds one aggregator state per (partition, symbol).

The fence check is a conditional update of the partition document
(`{_id: p, fence: <ours>}`) as the first write of the commit: no match means another
owner claimed the partition, so PartitionFenced is raised and the unit of work aborts the
transaction (symbol states and outbox rows included). A claim that commits while our
transaction is open writes the same document, so one of the two gets a write conflict
and aborts: a stale owner can never commit past a takeover.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from pymongo import UpdateOne

from pq_runtime.stores.adapters.mongo import MongoStore, MongoUnitOfWork

from ..ports import PartitionFenced, PartitionTransaction, StoredPartition
from .mongo_collections import PARTITIONS, SYMBOL_STATES, ensure_collections, symbol_id
from .unit_of_work_transaction import UnitOfWorkTransaction


class MongoPartitionTransaction(UnitOfWorkTransaction[MongoUnitOfWork]):
    def __init__(self, uow: MongoUnitOfWork) -> None:
        super().__init__(uow)
        self._saves: list[tuple[int, str, int, Sequence[tuple[str, bytes]]]] = []

    def save(
        self, partition: int, fence: str, last_seq: int, symbols: Sequence[tuple[str, bytes]]
    ) -> None:
        self._saves.append((partition, fence, last_seq, list(symbols)))

    async def commit(self) -> None:
        db, session = self._uow.db, self._uow.session
        for partition, fence, last_seq, symbols in self._saves:
            tracked = await db[PARTITIONS].update_one(
                {"_id": partition, "fence": fence},
                {"$set": {"last_seq": last_seq, "updated_at": time.time()}},
                session=session,
            )
            if tracked.matched_count != 1:
                raise PartitionFenced(f"partition {partition} was claimed by another owner")
            if symbols:
                await db[SYMBOL_STATES].bulk_write(
                    [
                        UpdateOne(
                            {"_id": symbol_id(partition, s)},
                            {"$set": {"partition": partition, "symbol": s, "state": blob}},
                            upsert=True,
                        )
                        for s, blob in symbols
                    ],
                    ordered=False,
                    session=session,
                )
        await self._uow.commit()  # outbox rows, then the transaction's commit


class MongoPartitionState:
    def __init__(self, store: MongoStore) -> None:
        self._store = store

    @classmethod
    async def open(cls, store: MongoStore) -> MongoPartitionState:
        await ensure_collections(store.db)
        return cls(store)

    async def claim(self, partition: int, fence: str) -> StoredPartition:
        async with self._store.unit_of_work() as uow:
            await uow.db[PARTITIONS].update_one(
                {"_id": partition},
                {"$set": {"fence": fence}, "$setOnInsert": {"last_seq": 0}},
                upsert=True,
                session=uow.session,
            )
            stored = await _read(uow, partition)
            await uow.commit()
        return stored

    async def load(self, partition: int) -> StoredPartition:
        # A transaction for one snapshot of the tracking record and the symbol states;
        # it writes nothing, so leaving without commit (abort) is all it needs.
        async with self._store.unit_of_work() as uow:
            return await _read(uow, partition)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PartitionTransaction]:
        async with self._store.unit_of_work() as uow:
            yield MongoPartitionTransaction(uow)

    async def ping(self) -> None:
        await self._store.db.command("ping")


async def _read(uow: MongoUnitOfWork, partition: int) -> StoredPartition:
    tracking = await uow.db[PARTITIONS].find_one({"_id": partition}, session=uow.session)
    cursor = uow.db[SYMBOL_STATES].find(
        {"partition": partition}, {"symbol": 1, "state": 1}, session=uow.session
    )
    symbols = [(str(d["symbol"]), bytes(d["state"])) async for d in cursor]
    last_seq = int(tracking["last_seq"]) if tracking else 0
    return StoredPartition(last_seq=last_seq, symbols=symbols)
