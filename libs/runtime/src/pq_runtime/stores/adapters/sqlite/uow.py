"""The SQLite unit of work: service rows, outbox rows and inbox records in one transaction.

Repositories join it in two ways, both on the writer thread and the same transaction:
- `await uow.run(fn)` runs `fn(conn)` now and returns its result (reads, read-modify-write);
- `uow.defer(fn)` queues a write that runs at commit, in the same hop as the outbox
  and inbox inserts (the cheap way to write a batch).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import Any, TypeVar

from ...outbox_buffer import OutboxBuffer
from ...signal import CommitSignal
from .database import SqliteDatabase
from .schema import INSERT_INBOX, INSERT_OUTBOX

T = TypeVar("T")
_CHUNK = 500


class SqliteUnitOfWork:
    def __init__(self, db: SqliteDatabase, signal: CommitSignal) -> None:
        self._db = db
        self._signal = signal
        self._outbox = OutboxBuffer()
        self._inbox: list[tuple[str, str, float]] = []
        self._deferred: list[Callable[[sqlite3.Connection], Any]] = []
        self._begun = False
        self._done = False

    @property
    def outbox(self) -> OutboxBuffer:
        return self._outbox

    async def __aenter__(self) -> SqliteUnitOfWork:
        await self._db.lock.acquire()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if not self._done:
                await self.rollback()
        finally:
            self._db.lock.release()

    async def run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run `fn(conn)` inside this transaction (begun on first use) and return its result."""
        begin = not self._begun
        self._begun = True

        def work(conn: sqlite3.Connection) -> T:
            if begin:
                conn.execute("BEGIN IMMEDIATE")
            return fn(conn)

        return await self._db.call(work)

    def defer(self, fn: Callable[[sqlite3.Connection], Any]) -> None:
        """Queue a write for commit time (same transaction, no extra thread hop)."""
        self._deferred.append(fn)

    async def seen(self, consumer: str, event_ids: Sequence[str]) -> set[str]:
        ids = list(event_ids)

        def query(conn: sqlite3.Connection) -> set[str]:
            found: set[str] = set()
            for i in range(0, len(ids), _CHUNK):
                chunk = ids[i : i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT event_id FROM pq_inbox WHERE consumer = ? AND event_id IN ({marks})",
                    (consumer, *chunk),
                )
                found.update(r[0] for r in rows)
            return found

        return await self.run(query) if ids else set()

    def mark_processed(self, consumer: str, event_ids: Iterable[str]) -> None:
        now = time.time()
        self._inbox.extend((consumer, eid, now) for eid in event_ids)

    async def commit(self) -> None:
        begin = not self._begun
        events = [
            (
                p.envelope.event_id,
                p.envelope.event_type,
                p.envelope.schema_version,
                p.envelope.subject,
                p.partition_key,
                p.envelope.correlation_id,
                p.envelope.traceparent,
                p.envelope.payload,
                p.created_at,
            )
            for p in self._outbox.pending
        ]
        inbox, deferred = self._inbox, self._deferred

        def work(conn: sqlite3.Connection) -> None:
            if begin:
                conn.execute("BEGIN IMMEDIATE")
            try:
                for fn in deferred:
                    fn(conn)
                if events:
                    conn.executemany(INSERT_OUTBOX, events)
                if inbox:
                    conn.executemany(INSERT_INBOX, inbox)
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

        self._done = True
        await self._db.call(work)
        if events:
            self._signal.notify()

    async def rollback(self) -> None:
        self._done = True
        if self._begun:
            await self._db.call(_rollback)


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        conn.execute("ROLLBACK")
