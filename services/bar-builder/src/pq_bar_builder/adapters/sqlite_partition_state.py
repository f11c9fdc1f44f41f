"""Partition state in the service's SQLite file, in the runtime's unit of work.

`bb_partitions` is the tracking record (last applied stream sequence) and the fence
(who may write); `bb_symbol_states` holds one aggregator state per symbol. A batch's
rows, the tracking record and the outbox rows are written in one transaction, in the
commit's single hop to the writer thread (`uow.defer`).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from pq_runtime.stores.adapters.sqlite import SqliteStore, SqliteUnitOfWork

from ..ports import PartitionFenced, PartitionTransaction, StoredPartition
from .unit_of_work_transaction import UnitOfWorkTransaction

SCHEMA = """
CREATE TABLE IF NOT EXISTS bb_partitions (
    partition  INTEGER PRIMARY KEY,
    last_seq   INTEGER NOT NULL DEFAULT 0,
    fence      TEXT NOT NULL DEFAULT '',
    updated_at REAL
);
CREATE TABLE IF NOT EXISTS bb_symbol_states (
    partition INTEGER NOT NULL,
    symbol    TEXT NOT NULL,
    state     BLOB NOT NULL,
    PRIMARY KEY (partition, symbol)
) WITHOUT ROWID;
"""
_TRACK = "UPDATE bb_partitions SET last_seq = ?, updated_at = ? WHERE partition = ? AND fence = ?"
_UPSERT = "INSERT OR REPLACE INTO bb_symbol_states (partition, symbol, state) VALUES (?, ?, ?)"


class SqlitePartitionTransaction(UnitOfWorkTransaction[SqliteUnitOfWork]):
    def save(
        self, partition: int, fence: str, last_seq: int, symbols: Sequence[tuple[str, bytes]]
    ) -> None:
        rows = [(partition, s, blob) for s, blob in symbols]

        def write(conn: sqlite3.Connection) -> None:
            if conn.execute(_TRACK, (last_seq, time.time(), partition, fence)).rowcount != 1:
                raise PartitionFenced(f"partition {partition} was claimed by another owner")
            if rows:
                conn.executemany(_UPSERT, rows)

        self._uow.defer(write)


class SqlitePartitionState:
    def __init__(self, store: SqliteStore) -> None:
        self._store = store

    @classmethod
    async def open(cls, store: SqliteStore) -> SqlitePartitionState:
        await store.ensure_schema(SCHEMA)
        return cls(store)

    async def claim(self, partition: int, fence: str) -> StoredPartition:
        def work(conn: sqlite3.Connection) -> StoredPartition:
            conn.execute("INSERT OR IGNORE INTO bb_partitions (partition) VALUES (?)", (partition,))
            conn.execute(
                "UPDATE bb_partitions SET fence = ? WHERE partition = ?", (fence, partition)
            )
            return _read(conn, partition)

        return await self._store.db.transaction(work)

    async def load(self, partition: int) -> StoredPartition:
        return await self._store.db.read(lambda conn: _read(conn, partition))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PartitionTransaction]:
        async with self._store.unit_of_work() as uow:
            yield SqlitePartitionTransaction(uow)

    async def ping(self) -> None:
        await self._store.db.read(lambda conn: conn.execute("SELECT 1").fetchone())


def _read(conn: sqlite3.Connection, partition: int) -> StoredPartition:
    row = conn.execute(
        "SELECT last_seq FROM bb_partitions WHERE partition = ?", (partition,)
    ).fetchone()
    symbols = [
        (str(s), bytes(blob))
        for s, blob in conn.execute(
            "SELECT symbol, state FROM bb_symbol_states WHERE partition = ?", (partition,)
        )
    ]
    return StoredPartition(last_seq=int(row[0]) if row else 0, symbols=symbols)
