"""Bars, symbols, chunks and coverage written in the projection's SQLite transaction.

The batch's rows go in stream order through one upsert with the reconcile rule in its
WHERE, as multi-row statements of `ROWS_PER_STATEMENT` rows (about 40% less time per row
than `executemany` of the same rows; SQLite applies a statement's rows one after the
other, so a key repeated in it is reconciled like in separate statements), the rest
with `executemany`. Coverage is kept up to date incrementally, per (symbol, interval) the
batch touched: the rows inside the batch's t range are counted before and after the
upsert (an index range, as wide as the batch, not the whole history), the difference
is what it inserted. An upsert never deletes, so the count is exact, and a replay adds 0.
"""

from __future__ import annotations

import sqlite3
from itertools import chain

from pq_runtime.stores.adapters.sqlite import SqliteUnitOfWork

from ...model.bar_rows import BarValues
from ...model.symbols import SymbolMeta
from ...ports import BarBatch
from .schema import bar_model_tables

ROWS_PER_STATEMENT = 250  # 3,250 parameters, far below SQLite's limit (32,766 since 3.32)
_BAR_VALUES = "(?,?,?,?,?,?,?,?,?,?,?,?,?)"


def _meta_row(m: SymbolMeta) -> tuple[object, ...]:
    r = m.resolved
    return (
        m.symbol, r.description, r.type, r.currency, r.exchange, r.timezone,
        r.session, r.pricescale, int(r.delayed), r.at, m.seq,
    )  # fmt: skip


class SqliteBarModelWriter:
    def __init__(self, generation: int) -> None:
        n = bar_model_tables(generation)
        self.generation = generation
        # The WHERE makes the upsert keep the stored row unless the new one outranks it.
        insert = (
            f"INSERT INTO {n['bars']} (symbol, interval, t, o, h, l, c, v, source, revision, "
            "ticks, seq, precedence) VALUES "
        )
        on_conflict = (
            " ON CONFLICT (symbol, interval, t) DO UPDATE SET o=excluded.o, h=excluded.h, "
            "l=excluded.l, c=excluded.c, v=excluded.v, source=excluded.source, "
            "revision=excluded.revision, ticks=excluded.ticks, seq=excluded.seq, "
            f"precedence=excluded.precedence WHERE excluded.precedence > {n['bars']}.precedence"
        )
        self._upsert_bar = insert + _BAR_VALUES + on_conflict
        self._upsert_bars = insert + ",".join([_BAR_VALUES] * ROWS_PER_STATEMENT) + on_conflict
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
            f"INSERT OR IGNORE INTO {n['chunks']} (job_id, chunk, chunks, bars) VALUES (?,?,?,?)"
        )
        self._count_range = (
            f"SELECT COUNT(*) FROM {n['bars']} WHERE symbol = ? AND interval = ? "
            "AND t >= ? AND t <= ?"
        )
        self._add_coverage = (
            f"INSERT INTO {n['coverage']} (symbol, interval, first_t, last_t, bars) "
            "VALUES (?,?,?,?,?) ON CONFLICT (symbol, interval) DO UPDATE SET "
            f"first_t=min({n['coverage']}.first_t, excluded.first_t), "
            f"last_t=max({n['coverage']}.last_t, excluded.last_t), "
            f"bars={n['coverage']}.bars + excluded.bars"
        )

    async def apply(self, uow: SqliteUnitOfWork, batch: BarBatch) -> None:
        if not batch:
            return
        bars = batch.rows
        metas = [_meta_row(m) for m in batch.metas]
        chunks = [(c.job_id, c.chunk, c.chunks, c.bars) for c in batch.chunks]
        ranges = [(*key, low, high) for key, (low, high) in batch.spans().items()]

        def write(conn: sqlite3.Connection) -> None:
            if bars:
                before = [self._count(conn, r) for r in ranges]
                self._upsert(conn, bars)
                after = [self._count(conn, r) for r in ranges]
                added = [(*r, n - m) for r, n, m in zip(ranges, after, before, strict=True)]
                conn.executemany(self._add_coverage, added)
            if metas:
                conn.executemany(self._upsert_meta, metas)
            if chunks:
                conn.executemany(self._insert_chunk, chunks)

        uow.defer(write)

    def _upsert(self, conn: sqlite3.Connection, rows: list[BarValues]) -> None:
        n = ROWS_PER_STATEMENT
        whole = len(rows) - len(rows) % n
        for i in range(0, whole, n):
            conn.execute(self._upsert_bars, list(chain.from_iterable(rows[i : i + n])))
        if whole < len(rows):
            conn.executemany(self._upsert_bar, rows[whole:])

    def _count(self, conn: sqlite3.Connection, r: tuple[str, str, int, int]) -> int:
        count: int = conn.execute(self._count_range, r).fetchone()[0]
        return count
