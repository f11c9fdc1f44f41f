"""Sync job records in the service's SQLite database, written at the unit of work's commit."""

from __future__ import annotations

import sqlite3

from pq_runtime.stores.adapters.sqlite import SqliteUnitOfWork

from ..model.sync_job import SyncJob

SCHEMA = """
CREATE TABLE IF NOT EXISTS sync_jobs (
    job_id         TEXT PRIMARY KEY,
    symbol         TEXT NOT NULL,
    interval       TEXT NOT NULL,
    requested_bars INTEGER,
    start_ms       INTEGER,
    end_ms         INTEGER,
    status         TEXT NOT NULL,
    attempt        INTEGER NOT NULL,
    bars           INTEGER NOT NULL,
    first_t        INTEGER,
    last_t         INTEGER,
    error          TEXT,
    updated_at     INTEGER NOT NULL
) WITHOUT ROWID;
"""

_UPSERT = """
INSERT INTO sync_jobs (job_id, symbol, interval, requested_bars, start_ms, end_ms, status,
                       attempt, bars, first_t, last_t, error, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (job_id) DO UPDATE SET
    status = excluded.status, attempt = excluded.attempt, bars = excluded.bars,
    first_t = excluded.first_t, last_t = excluded.last_t, error = excluded.error,
    updated_at = excluded.updated_at
"""


class SqliteSyncJobs:
    async def save(self, uow: SqliteUnitOfWork, job: SyncJob) -> None:
        params = (
            job.job_id,
            job.symbol,
            job.interval,
            job.requested_bars,
            job.start_ms,
            job.end_ms,
            job.status.value,
            job.attempt,
            job.bars,
            job.first_t,
            job.last_t,
            job.error,
            job.updated_at,
        )

        def write(conn: sqlite3.Connection) -> None:
            conn.execute(_UPSERT, params)

        uow.defer(write)


def read_job(conn: sqlite3.Connection, job_id: str) -> dict[str, object] | None:
    """One job record as a dict (operators, tests): run it with `store.db.read`."""
    cur = conn.execute("SELECT * FROM sync_jobs WHERE job_id = ?", (job_id,))
    row = cur.fetchone()
    if row is None:
        return None
    return {col[0]: value for col, value in zip(cur.description, row, strict=True)}
