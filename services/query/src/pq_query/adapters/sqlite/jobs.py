"""Sync jobs in SQLite: read-modify-write inside the projection's transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from pq_runtime.stores.adapters.sqlite import SqliteUnitOfWork

from ...model.job_listing import JobsQuery
from ...model.jobs import JobState, JobStatus
from .read_pool import SqliteReadPool

_COLUMNS = (
    "job_id, status, symbol, interval, bars, error, created_at, updated_at, "
    "bars_fetched, expected, started_at, finished_at"
)
_UPSERT = (
    f"INSERT INTO sync_jobs ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
    "ON CONFLICT (job_id) DO UPDATE "
    "SET status=excluded.status, symbol=excluded.symbol, interval=excluded.interval, "
    "bars=excluded.bars, error=excluded.error, created_at=excluded.created_at, "
    "updated_at=excluded.updated_at, bars_fetched=excluded.bars_fetched, "
    "expected=excluded.expected, started_at=excluded.started_at, "
    "finished_at=excluded.finished_at"
)


def _state(row: Any) -> JobState:
    return JobState(row[0], JobStatus(row[1]), *row[2:])


class SqliteJobsWriter:
    async def load(self, uow: SqliteUnitOfWork, job_ids: Sequence[str]) -> dict[str, JobState]:
        ids = list(dict.fromkeys(job_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))

        def read(conn: sqlite3.Connection) -> dict[str, JobState]:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM sync_jobs WHERE job_id IN ({marks})", ids
            ).fetchall()
            return {r[0]: _state(r) for r in rows}

        return await uow.run(read)

    async def save(self, uow: SqliteUnitOfWork, states: Sequence[JobState]) -> None:
        rows = [
            (s.job_id, s.status.value, s.symbol, s.interval, s.bars, s.error,
             s.created_at, s.updated_at, s.bars_fetched, s.expected, s.started_at,
             s.finished_at)
            for s in states
        ]  # fmt: skip
        if rows:
            uow.defer(lambda conn: conn.executemany(_UPSERT, rows))


class SqliteJobsReader:
    def __init__(self, pool: SqliteReadPool) -> None:
        self._pool = pool

    async def get(self, job_id: str) -> JobState | None:
        def read(conn: sqlite3.Connection) -> JobState | None:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM sync_jobs WHERE job_id = ?", (job_id,)
            ).fetchone()
            return None if row is None else _state(row)

        return await self._pool.run(read)

    async def list(self, q: JobsQuery) -> list[JobState]:
        where: list[str] = ["created_at IS NOT NULL"]
        params: list[object] = []
        if q.status is not None:
            where.append("status = ?")
            params.append(q.status.value)
        if q.symbol is not None:
            where.append("symbol = ?")
            params.append(q.symbol)
        if q.after is not None:
            where.append("(created_at, job_id) < (?, ?)")
            params += [q.after.created_at, q.after.job_id]
        sql = (
            f"SELECT {_COLUMNS} FROM sync_jobs WHERE {' AND '.join(where)} "
            "ORDER BY created_at DESC, job_id DESC LIMIT ?"
        )

        def read(conn: sqlite3.Connection) -> list[JobState]:
            return [_state(r) for r in conn.execute(sql, (*params, q.limit))]

        return await self._pool.run(read)
