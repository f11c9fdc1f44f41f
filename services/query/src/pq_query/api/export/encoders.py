"""Bars -> bytes, one batch at a time, so an export never holds more than one batch.

Columns: `t` (CSV: RFC 3339 UTC as in the JSON pages; Arrow and Parquet:
timestamp[ms, UTC]) and `o h l c v` (float64). The Arrow and Parquet writers write into
a `_Drain` that hands back what they wrote since the last call: an Arrow stream is
append-only, and so is writing Parquet (row groups in order, the footer last), so
neither needs a seekable file or a spool.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from pq_runtime.http.media_types import BarsMediaType

from ...model.fill import StoredBar
from ...model.times import rfc3339

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
_T = SCHEMA.field("t").type


class BarEncoder(Protocol):
    def batch(self, rows: Sequence[StoredBar]) -> bytes: ...

    def end(self) -> bytes: ...


class _Drain:
    """A write-only file for pyarrow whose bytes are taken after every write."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self.closed = False

    def write(self, data: bytes | memoryview) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        self.closed = True

    def take(self) -> bytes:
        out = b"".join(self._parts)
        self._parts.clear()
        return out


def record_batch(rows: Sequence[StoredBar]) -> pa.RecordBatch:
    t, o, h, l, c, v = zip(*rows, strict=True) if rows else ((),) * 6
    return pa.record_batch(
        [
            pa.array(t, type=_T),
            pa.array(o, type=pa.float64()),
            pa.array(h, type=pa.float64()),
            pa.array(l, type=pa.float64()),
            pa.array(c, type=pa.float64()),
            pa.array(v, type=pa.float64()),
        ],
        schema=SCHEMA,
    )


class CsvEncoder:
    """`repr` of a float is its shortest exact text, as in the JSON pages."""

    def __init__(self) -> None:
        self._header = b"t,o,h,l,c,v\n"

    def batch(self, rows: Sequence[StoredBar]) -> bytes:
        head, self._header = self._header, b""
        text = "".join(f"{rfc3339(t)},{o!r},{h!r},{l!r},{c!r},{v!r}\n" for t, o, h, l, c, v in rows)
        return head + text.encode()

    def end(self) -> bytes:
        return self._header  # the header alone when there were no bars


class ArrowStreamEncoder:
    def __init__(self) -> None:
        self._sink = _Drain()
        self._writer = pa.ipc.new_stream(pa.PythonFile(self._sink, mode="w"), SCHEMA)

    def batch(self, rows: Sequence[StoredBar]) -> bytes:
        self._writer.write_batch(record_batch(rows))
        return self._sink.take()

    def end(self) -> bytes:
        self._writer.close()
        return self._sink.take()


class ParquetEncoder:
    """One row group per batch: a row group is written out whole, then dropped."""

    def __init__(self) -> None:
        self._sink = _Drain()
        self._writer = pq.ParquetWriter(
            pa.PythonFile(self._sink, mode="w"), SCHEMA, compression="zstd"
        )

    def batch(self, rows: Sequence[StoredBar]) -> bytes:
        self._writer.write_batch(record_batch(rows))
        return self._sink.take()

    def end(self) -> bytes:
        self._writer.close()
        return self._sink.take()


def encoder_for(media_type: BarsMediaType) -> BarEncoder:
    if media_type is BarsMediaType.CSV:
        return CsvEncoder()
    if media_type is BarsMediaType.ARROW:
        return ArrowStreamEncoder()
    if media_type is BarsMediaType.PARQUET:
        return ParquetEncoder()
    raise ValueError(f"{media_type} is not an export format")
