"""A service's SQLite store: unit of work, the relay's outbox side, inbox retention."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from ...signal import CommitSignal
from .database import SqliteDatabase
from .outbox import SqliteOutbox
from .schema import RUNTIME_SCHEMA
from .uow import SqliteUnitOfWork


class SqliteStore:
    """`store = await SqliteStore.open(path)`; `async with store.unit_of_work() as uow: ...`."""

    def __init__(self, db: SqliteDatabase) -> None:
        self.db = db
        self.signal = CommitSignal()
        self.outbox = SqliteOutbox(db, self.signal)

    @classmethod
    async def open(
        cls, path: str | Path, *, synchronous: str = "FULL", busy_timeout_ms: int = 30_000
    ) -> SqliteStore:
        db = SqliteDatabase(path, synchronous=synchronous, busy_timeout_ms=busy_timeout_ms)
        await db.open()
        store = cls(db)
        await store.ensure_schema(RUNTIME_SCHEMA)
        return store

    async def ensure_schema(self, ddl: str) -> None:
        """Create a repository's tables (idempotent DDL: `CREATE TABLE IF NOT EXISTS ...`)."""

        def work(conn: sqlite3.Connection) -> None:
            conn.executescript(ddl)

        await self.db.read(work)

    def unit_of_work(self) -> SqliteUnitOfWork:
        return SqliteUnitOfWork(self.db, self.signal)

    async def purge_inbox(self, older_than_s: float) -> int:
        cutoff = time.time() - older_than_s
        return await self.db.transaction(
            lambda conn: (
                conn.execute("DELETE FROM pq_inbox WHERE processed_at < ?", (cutoff,)).rowcount
            )
        )

    async def ping(self) -> None:
        await self.db.read(lambda conn: conn.execute("SELECT 1").fetchone())

    async def close(self) -> None:
        await self.db.close()
