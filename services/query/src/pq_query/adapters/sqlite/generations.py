"""Which generation of the bars model is live: one pointer row, moved in one transaction."""

from __future__ import annotations

import sqlite3

from pq_runtime.stores.adapters.sqlite import SqliteStore

from .schema import QUERY_DDL, add_missing_columns, bar_model_ddl, drop_bar_model_ddl

BARS_MODEL = "bars"


class SqliteGenerations:
    def __init__(self, store: SqliteStore) -> None:
        self._store = store

    async def live(self) -> int:
        """The live generation, created (1) on first start."""
        await self._store.ensure_schema(QUERY_DDL)

        def work(conn: sqlite3.Connection) -> int:
            conn.execute(
                "INSERT OR IGNORE INTO query_generations (model, generation) VALUES (?, 1)",
                (BARS_MODEL,),
            )
            row = conn.execute(
                "SELECT generation FROM query_generations WHERE model = ?", (BARS_MODEL,)
            ).fetchone()
            return int(row[0])

        generation = await self._store.db.transaction(work)
        await self._store.ensure_schema(bar_model_ddl(generation))
        await self._store.db.transaction(lambda conn: add_missing_columns(conn, generation))
        return generation

    async def create(self, generation: int) -> None:
        """Empty tables for `generation` (leftovers of an interrupted rebuild are dropped)."""
        await self._store.ensure_schema(drop_bar_model_ddl(generation) + bar_model_ddl(generation))

    async def activate(self, generation: int) -> None:
        await self._store.db.transaction(
            lambda conn: conn.execute(
                "UPDATE query_generations SET generation = ? WHERE model = ?",
                (generation, BARS_MODEL),
            )
        )

    async def drop(self, generation: int) -> None:
        await self._store.ensure_schema(drop_bar_model_ddl(generation))
