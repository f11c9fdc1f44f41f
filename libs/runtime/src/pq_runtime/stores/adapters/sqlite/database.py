"""One SQLite database file, driven by one dedicated writer thread.

Every statement runs on that thread (the event loop never blocks on SQLite), and a
whole transaction runs there in one hop where it can (`transaction`). Several
processes may open the same file: WAL lets readers run beside the one writer, and
`busy_timeout` makes a writer wait (on its thread) for another process's lock.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
SqlFn = Callable[[sqlite3.Connection], T]


class SqliteDatabase:
    def __init__(
        self, path: str | Path, *, synchronous: str = "FULL", busy_timeout_ms: int = 30_000
    ) -> None:
        self.path = Path(path)
        self._synchronous = synchronous
        self._busy_timeout_ms = busy_timeout_ms
        self._executor: ThreadPoolExecutor | None = None
        self._conn: sqlite3.Connection | None = None
        # One transaction at a time on the connection, in this process.
        self.lock = asyncio.Lock()

    async def open(self) -> None:
        if self._executor is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._executor = ThreadPoolExecutor(1, thread_name_prefix=f"sqlite-{self.path.name}")
        loop = asyncio.get_running_loop()
        self._conn = await loop.run_in_executor(self._executor, self._connect)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout={int(self._busy_timeout_ms)}")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={self._synchronous}")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    async def close(self) -> None:
        if self._executor is None:
            return
        async with self.lock:
            conn, self._conn = self._conn, None
            if conn is not None:
                await asyncio.get_running_loop().run_in_executor(self._executor, conn.close)
            self._executor.shutdown(wait=True)
            self._executor = None

    async def call(self, fn: SqlFn[T]) -> T:
        """Run `fn(connection)` on the writer thread. Callers hold `lock` (or own it)."""
        if self._executor is None or self._conn is None:
            raise RuntimeError(f"database {self.path} is not open")
        conn = self._conn
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, conn)

    async def transaction(self, fn: SqlFn[T]) -> T:
        """`fn` inside BEGIN IMMEDIATE ... COMMIT, in one hop to the writer thread."""
        async with self.lock:
            return await self.call(lambda conn: run_in_transaction(conn, fn))

    async def read(self, fn: SqlFn[T]) -> T:
        async with self.lock:
            return await self.call(fn)


def run_in_transaction(conn: sqlite3.Connection, fn: SqlFn[T]) -> T:
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = fn(conn)
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return result
