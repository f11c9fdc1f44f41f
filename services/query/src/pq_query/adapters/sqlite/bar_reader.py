"""Reads of the bars model (bars pages, symbols with coverage, chunk progress)."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pyarrow as pa

from pq_domain import Symbol
from pq_domain.events import SymbolResolved

from ...model.fill import StoredBar
from ...model.symbols import ChunkProgress, Coverage, SymbolMeta, SymbolView
from .arrow_reader import sqlite_arrow_batches
from .read_pool import SqliteReadPool
from .schema import bar_model_tables

_META_COLUMNS = (
    "symbol, description, type, currency, exchange, timezone, session, pricescale, "
    "delayed, resolved_at, seq"
)


def _meta(row: Any) -> SymbolMeta:
    resolved = SymbolResolved(
        symbol=Symbol.parse(row[0]),
        description=row[1],
        type=row[2],
        currency=row[3],
        exchange=row[4],
        timezone=row[5],
        session=row[6],
        pricescale=int(row[7]),
        delayed=bool(row[8]),
        at=int(row[9]),
    )
    return SymbolMeta(resolved, seq=int(row[10]))


class SqliteBarModelReader:
    def __init__(self, pool: SqliteReadPool, generation: int) -> None:
        self._pool = pool
        self.generation = generation
        self._n = bar_model_tables(generation)

    async def bars(
        self, symbol: str, interval: str, low: int | None, high: int | None, asc: bool, limit: int
    ) -> list[StoredBar]:
        sql = (
            f"SELECT t, o, h, l, c, v FROM {self._n['bars']} WHERE symbol = ? AND interval = ?"
            " AND t >= ? AND t < ? ORDER BY t " + ("ASC" if asc else "DESC") + " LIMIT ?"
        )
        lo = -(2**62) if low is None else low
        hi = 2**62 if high is None else high
        params = (symbol, interval, lo, hi, limit)

        def read(conn: sqlite3.Connection) -> list[StoredBar]:
            rows: list[StoredBar] = conn.execute(sql, params).fetchall()
            return rows

        return await self._pool.run(read)

    def arrow_batches(
        self, symbol: str, interval: str, low: int | None, high: int | None, size: int
    ) -> AsyncIterator[pa.RecordBatch]:
        return sqlite_arrow_batches(
            self._pool.path, self._n["bars"], symbol, interval, low, high, size
        )

    async def close_at_or_before(self, symbol: str, interval: str, t: int) -> float | None:
        sql = (
            f"SELECT c FROM {self._n['bars']} WHERE symbol = ? AND interval = ? AND t <= ? "
            "ORDER BY t DESC LIMIT 1"
        )

        def read(conn: sqlite3.Connection) -> float | None:
            row = conn.execute(sql, (symbol, interval, t)).fetchone()
            return None if row is None else float(row[0])

        return await self._pool.run(read)

    async def symbols(self) -> list[SymbolView]:
        return await self._pool.run(lambda conn: self._views(conn, None))

    async def symbol(self, symbol: str) -> SymbolView | None:
        views = await self._pool.run(lambda conn: self._views(conn, symbol))
        return views[0] if views else None

    def _views(self, conn: sqlite3.Connection, only: str | None) -> list[SymbolView]:
        where, params = ("WHERE symbol = ?", (only,)) if only else ("", ())
        metas = {
            r[0]: _meta(r)
            for r in conn.execute(
                f"SELECT {_META_COLUMNS} FROM {self._n['symbols']} {where}", params
            )
        }
        coverage: dict[str, list[Coverage]] = {}
        for sym, interval, first, last, count in conn.execute(
            f"SELECT symbol, interval, first_t, last_t, bars FROM {self._n['coverage']} "
            f"{where} ORDER BY symbol, interval",
            params,
        ):
            coverage.setdefault(sym, []).append(Coverage(interval, first, last, count))
        names = sorted(set(metas) | set(coverage))
        return [SymbolView(s, metas.get(s), tuple(coverage.get(s, ()))) for s in names]

    async def chunk_progress(self, job_ids: Sequence[str]) -> dict[str, ChunkProgress]:
        ids = list(dict.fromkeys(job_ids))
        if not ids:
            return {}
        sql = (
            f"SELECT job_id, COUNT(*), MAX(chunks), SUM(bars) FROM {self._n['chunks']} "
            f"WHERE job_id IN ({','.join('?' * len(ids))}) GROUP BY job_id"
        )

        def read(conn: sqlite3.Connection) -> dict[str, ChunkProgress]:
            return {
                job: ChunkProgress(int(applied), int(chunks), int(bars))
                for job, applied, chunks, bars in conn.execute(sql, ids)
            }

        return await self._pool.run(read)

    async def dump(self) -> list[tuple[object, ...]]:
        n = self._n
        queries = [
            f"SELECT 'bar', * FROM {n['bars']} ORDER BY symbol, interval, t",
            f"SELECT 'coverage', * FROM {n['coverage']} ORDER BY symbol, interval",
            f"SELECT 'symbol', * FROM {n['symbols']} ORDER BY symbol",
            f"SELECT 'chunk', * FROM {n['chunks']} ORDER BY job_id, chunk",
        ]

        def read(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
            return [tuple(r) for q in queries for r in conn.execute(q)]

        return await self._pool.run(read)
