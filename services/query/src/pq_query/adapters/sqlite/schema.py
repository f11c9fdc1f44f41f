"""Tables of the query read models. The bars model's tables carry a generation suffix
(`bars_g3`) so that a rebuild fills a fresh set beside the live one and swaps by
moving one pointer row (generations.py)."""

from __future__ import annotations

import sqlite3


def bar_model_tables(generation: int) -> dict[str, str]:
    g = int(generation)
    return {
        "bars": f"bars_g{g}",
        "coverage": f"coverage_g{g}",
        "symbols": f"symbols_g{g}",
        "chunks": f"chunks_g{g}",
    }


def bar_model_ddl(generation: int) -> str:
    n = bar_model_tables(generation)
    return f"""
CREATE TABLE IF NOT EXISTS {n["bars"]} (
    symbol TEXT NOT NULL, interval TEXT NOT NULL, t INTEGER NOT NULL,
    o REAL NOT NULL, h REAL NOT NULL, l REAL NOT NULL, c REAL NOT NULL, v REAL NOT NULL,
    source TEXT NOT NULL, revision INTEGER NOT NULL, ticks INTEGER NOT NULL,
    seq INTEGER NOT NULL, precedence INTEGER NOT NULL,
    PRIMARY KEY (symbol, interval, t)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS {n["coverage"]} (
    symbol TEXT NOT NULL, interval TEXT NOT NULL,
    first_t INTEGER NOT NULL, last_t INTEGER NOT NULL, bars INTEGER NOT NULL,
    PRIMARY KEY (symbol, interval)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS {n["symbols"]} (
    symbol TEXT PRIMARY KEY, description TEXT NOT NULL, type TEXT NOT NULL,
    currency TEXT NOT NULL, exchange TEXT NOT NULL, timezone TEXT NOT NULL,
    session TEXT NOT NULL, pricescale INTEGER NOT NULL, delayed INTEGER NOT NULL,
    resolved_at INTEGER NOT NULL, seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS {n["chunks"]} (
    job_id TEXT NOT NULL, chunk INTEGER NOT NULL, chunks INTEGER NOT NULL,
    bars INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, chunk)
) WITHOUT ROWID;
"""


def drop_bar_model_ddl(generation: int) -> str:
    return "".join(f"DROP TABLE IF EXISTS {t};\n" for t in bar_model_tables(generation).values())


QUERY_DDL = """
CREATE TABLE IF NOT EXISTS query_generations (
    model TEXT PRIMARY KEY, generation INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sync_jobs (
    job_id TEXT PRIMARY KEY, status TEXT NOT NULL, symbol TEXT, interval TEXT,
    bars INTEGER, error TEXT, created_at INTEGER, updated_at INTEGER,
    bars_fetched INTEGER NOT NULL DEFAULT 0, expected INTEGER,
    started_at INTEGER, finished_at INTEGER
);
CREATE INDEX IF NOT EXISTS sync_jobs_newest ON sync_jobs (created_at DESC, job_id DESC);
"""


def added_columns(generation: int) -> list[tuple[str, str, str]]:
    """(table, column, declaration) added since the first schema: a database made
    before them gets them by ALTER TABLE (`CREATE TABLE IF NOT EXISTS` leaves it be)."""
    chunks = bar_model_tables(generation)["chunks"]
    return [
        (chunks, "bars", "INTEGER NOT NULL DEFAULT 0"),
        ("sync_jobs", "bars_fetched", "INTEGER NOT NULL DEFAULT 0"),
        ("sync_jobs", "expected", "INTEGER"),
        ("sync_jobs", "started_at", "INTEGER"),
        ("sync_jobs", "finished_at", "INTEGER"),
    ]


def add_missing_columns(conn: sqlite3.Connection, generation: int) -> None:
    for table, column, declaration in added_columns(generation):
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if column not in present:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
