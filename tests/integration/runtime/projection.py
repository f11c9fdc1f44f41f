"""A test projection whose effect is NOT idempotent by itself (a counter per event id),
so any double application shows: exactly-once must come from the consumer's inbox."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from pq_runtime.messaging import Delivery
from pq_runtime.stores.adapters.sqlite import SqliteStore, SqliteUnitOfWork

APPLIED_DDL = """
CREATE TABLE IF NOT EXISTS applied (
    event_id TEXT PRIMARY KEY, n INTEGER NOT NULL, subject TEXT NOT NULL
)
"""

STATE_DDL = "CREATE TABLE IF NOT EXISTS produced (i INTEGER PRIMARY KEY)"


def _upsert(c: sqlite3.Connection, rows: list[tuple[str, str]]) -> None:
    c.executemany(
        "INSERT INTO applied (event_id, n, subject) VALUES (?, 1, ?) "
        "ON CONFLICT(event_id) DO UPDATE SET n = n + 1",
        rows,
    )


async def count_applied(uow: SqliteUnitOfWork, batch: Sequence[Delivery]) -> None:
    """Queue the effect for commit time (the cheap, batched way)."""
    rows = [(d.event_id, d.envelope.subject) for d in batch]
    uow.defer(lambda c: _upsert(c, rows))


async def count_applied_now(uow: SqliteUnitOfWork, batch: Sequence[Delivery]) -> None:
    """Write the effect now, inside the open transaction (not yet committed)."""
    rows = [(d.event_id, d.envelope.subject) for d in batch]
    await uow.run(lambda c: _upsert(c, rows))


async def applied_counts(store: SqliteStore) -> dict[str, int]:
    def read(c: sqlite3.Connection) -> dict[str, int]:
        return dict(c.execute("SELECT event_id, n FROM applied").fetchall())

    return await store.db.read(read)


async def open_projection_store(path: object) -> SqliteStore:
    store = await SqliteStore.open(str(path))
    await store.ensure_schema(APPLIED_DDL + ";" + STATE_DDL)
    return store
