"""Bars of one range as Arrow batches, for the bulk export.

One read-only connection per export and one statement over the whole range: one read
transaction, so a consistent snapshot under WAL while projections write. Each batch of
rows is fetched and turned into columns on a worker thread, so the event loop never
blocks.

Through the process's own `sqlite3`, never a second SQLite library (the ADBC driver
links its own): SQLite's locks are POSIX locks, which a process never sees conflict
with its own, so a second copy opening the same WAL database believes it is alone,
resets the shared-memory index the first copy has mapped, and the process dies of
SIGBUS (or the file is corrupted). It did, under an Arrow export in a loaded test run.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pyarrow as pa

from ...model.columnar import record_batch

_LOW, _HIGH = -(2**62), 2**62


def _open(path: Path, table: str, params: tuple[object, ...]) -> sqlite3.Cursor:
    # Used by one export task, one worker thread at a time.
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    return conn.execute(
        f"SELECT t, o, h, l, c, v FROM {table} WHERE symbol = ? AND interval = ?"
        " AND t >= ? AND t < ? ORDER BY t",
        params,
    )


def _next(cursor: sqlite3.Cursor, size: int) -> pa.RecordBatch | None:
    rows = cursor.fetchmany(size)
    return record_batch(rows) if rows else None


def _close(cursor: sqlite3.Cursor) -> None:
    cursor.close()
    cursor.connection.close()


async def sqlite_arrow_batches(
    path: Path, table: str, symbol: str, interval: str, low: int | None, high: int | None,
    size: int,
) -> AsyncIterator[pa.RecordBatch]:  # fmt: skip
    params = (symbol, interval, _LOW if low is None else low, _HIGH if high is None else high)
    cursor = await asyncio.to_thread(_open, path, table, params)
    try:
        while (batch := await asyncio.to_thread(_next, cursor, size)) is not None:
            yield batch
    finally:
        await asyncio.to_thread(_close, cursor)
