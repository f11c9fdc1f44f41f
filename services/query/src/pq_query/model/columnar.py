"""Bars as Arrow record batches: the one schema of the bulk export, and how rows or a
driver's batches become it.

`t` is timestamp[ms, UTC]; `o h l c v` float64. The stores build batches from row
tuples with `record_batch`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

import pyarrow as pa

from .fill import StoredBar

SCHEMA = pa.schema(
    [
        ("t", pa.timestamp("ms", tz="UTC")),
        ("o", pa.float64()),
        ("h", pa.float64()),
        ("l", pa.float64()),
        ("c", pa.float64()),
        ("v", pa.float64()),
    ]
)
_TYPES = [f.type for f in SCHEMA]
RowsReader = Callable[[int | None, int | None, int], Awaitable[list[StoredBar]]]


def record_batch(rows: Sequence[StoredBar]) -> pa.RecordBatch:
    columns = zip(*rows, strict=True) if rows else ((),) * 6
    arrays = [pa.array(col, type=kind) for col, kind in zip(columns, _TYPES, strict=True)]
    return pa.record_batch(arrays, schema=SCHEMA)


async def batches_of_rows(
    read: RowsReader, low: int | None, high: int | None, size: int
) -> AsyncIterator[pa.RecordBatch]:
    """Ascending keyset reads of `size` rows (`read(low, high, limit)`), as batches."""
    while True:
        rows = await read(low, high, size)
        if rows:
            yield record_batch(rows)
        if len(rows) < size:
            return
        low = rows[-1][0] + 1
