"""The SQLite read models: one database file (query.db) shared by all of them."""

from __future__ import annotations

import sqlite3

from pq_runtime.stores.adapters.sqlite import SqliteStore

from .bar_reader import SqliteBarModelReader
from .bar_writer import SqliteBarModelWriter
from .generations import SqliteGenerations
from .jobs import SqliteJobsReader, SqliteJobsWriter
from .read_pool import SqliteReadPool


class SqliteReadModels:
    def __init__(self, store: SqliteStore, read_workers: int = 2) -> None:
        self._store = store
        self._pool = SqliteReadPool(store.db.path, read_workers)
        self._generations = SqliteGenerations(store)
        self._jobs_writer = SqliteJobsWriter()
        self._jobs_reader = SqliteJobsReader(self._pool)

    @classmethod
    async def open(cls, path: str, read_workers: int = 2) -> SqliteReadModels:
        # synchronous=FULL (the runtime's default): the batch is acked after this commit,
        # so the commit must survive a power loss or those events would be lost to us.
        store = await SqliteStore.open(path)
        models = cls(store, read_workers)
        await models.generations.live()  # creates the schema on first start
        return models

    @property
    def store(self) -> SqliteStore:
        return self._store

    @property
    def generations(self) -> SqliteGenerations:
        return self._generations

    @property
    def jobs_writer(self) -> SqliteJobsWriter:
        return self._jobs_writer

    @property
    def jobs_reader(self) -> SqliteJobsReader:
        return self._jobs_reader

    def bar_writer(self, generation: int) -> SqliteBarModelWriter:
        return SqliteBarModelWriter(generation)

    def bar_reader(self, generation: int) -> SqliteBarModelReader:
        return SqliteBarModelReader(self._pool, generation)

    async def ping(self) -> None:
        def probe(conn: sqlite3.Connection) -> None:
            conn.execute("SELECT 1").fetchone()

        await self._pool.run(probe)

    async def purge_inbox(self, older_than_s: float) -> int:
        return await self._store.purge_inbox(older_than_s)

    async def close(self) -> None:
        self._pool.close()
        await self._store.close()
