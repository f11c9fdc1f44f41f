"""Bars, symbols, chunks and coverage written in the projection's SQLite transaction."""

from __future__ import annotations

import sqlite3

from pq_runtime.stores.adapters.sqlite import SqliteUnitOfWork

from ...ports import BarBatch
from .schema import bar_model_tables


class SqliteBarModelWriter:
    def __init__(self, generation: int) -> None:
        n = bar_model_tables(generation)
        self.generation = generation
        # The WHERE makes the upsert keep the stored row unless the new one outranks it.
        self._upsert_bar = (
            f"INSERT INTO {n['bars']} (symbol, interval, t, o, h, l, c, v, source, revision, "
            "ticks, seq, precedence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT (symbol, interval, t) DO UPDATE SET o=excluded.o, h=excluded.h, "
            "l=excluded.l, c=excluded.c, v=excluded.v, source=excluded.source, "
            "revision=excluded.revision, ticks=excluded.ticks, seq=excluded.seq, "
            f"precedence=excluded.precedence WHERE excluded.precedence > {n['bars']}.precedence"
        )
        self._upsert_meta = (
            f"INSERT INTO {n['symbols']} (symbol, description, type, currency, exchange, "
            "timezone, session, pricescale, delayed, resolved_at, seq) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (symbol) DO UPDATE SET "
            "description=excluded.description, type=excluded.type, "
            "currency=excluded.currency, exchange=excluded.exchange, "
            "timezone=excluded.timezone, session=excluded.session, "
            "pricescale=excluded.pricescale, delayed=excluded.delayed, "
            "resolved_at=excluded.resolved_at, seq=excluded.seq "
            f"WHERE (excluded.resolved_at, excluded.seq) > "
            f"({n['symbols']}.resolved_at, {n['symbols']}.seq)"
        )
        self._insert_chunk = (
            f"INSERT OR IGNORE INTO {n['chunks']} (job_id, chunk, chunks) VALUES (?,?,?)"
        )
        # Recomputed from the rows (index range on the primary key), so it is exact and
        # idempotent whatever happened before.
        self._refresh_coverage = (
            f"INSERT INTO {n['coverage']} (symbol, interval, first_t, last_t, bars) "
            f"SELECT symbol, interval, MIN(t), MAX(t), COUNT(*) FROM {n['bars']} "
            "WHERE symbol = ? AND interval = ? GROUP BY symbol, interval "
            "ON CONFLICT (symbol, interval) DO UPDATE SET first_t=excluded.first_t, "
            "last_t=excluded.last_t, bars=excluded.bars"
        )

    async def apply(self, uow: SqliteUnitOfWork, batch: BarBatch) -> None:
        if not batch:
            return
        bars = [
            (
                r.symbol, r.interval, r.t, r.o, r.h, r.l, r.c, r.v,
                r.source.value, r.revision, r.ticks, r.seq, r.precedence,
            )
            for r in batch.rows
        ]  # fmt: skip
        metas = [
            (
                m.symbol, m.description, m.type, m.currency, m.exchange, m.timezone,
                m.session, m.pricescale, int(m.delayed), m.resolved_at, m.seq,
            )
            for m in batch.metas
        ]  # fmt: skip
        chunks = [(c.job_id, c.chunk, c.chunks) for c in batch.chunks]
        touched = sorted(batch.touched())

        def write(conn: sqlite3.Connection) -> None:
            if bars:
                conn.executemany(self._upsert_bar, bars)
            if metas:
                conn.executemany(self._upsert_meta, metas)
            if chunks:
                conn.executemany(self._insert_chunk, chunks)
            if touched:
                conn.executemany(self._refresh_coverage, touched)

        uow.defer(write)
