"""Record batches of bars -> bytes, one batch at a time, so an export never holds more.

Columns as `columnar.SCHEMA`. CSV writes `t` as RFC 3339 UTC with milliseconds and the
prices in their shortest exact decimal form (Arrow's, which reads back to the same
double, as the JSON pages' numbers do). The Arrow and Parquet writers write into a
`_Drain` that hands back what they wrote since the last call: an Arrow stream is
append-only, and so is writing Parquet (row groups in order, the footer last), so
neither needs a seekable file or a spool.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from pq_runtime.http.media_types import BarsMediaType

from ...model.columnar import SCHEMA


class BarEncoder(Protocol):
    def batch(self, batch: pa.RecordBatch) -> bytes: ...

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


_CSV_OPTIONS = pa_csv.WriteOptions(include_header=False, quoting_style="none")


class CsvEncoder:
    def __init__(self) -> None:
        self._header = ",".join(SCHEMA.names).encode() + b"\n"

    def batch(self, batch: pa.RecordBatch) -> bytes:
        head, self._header = self._header, b""
        t = pc.strftime(batch.column(0), format="%Y-%m-%dT%H:%M:%SZ")
        text = pa.record_batch([t, *batch.columns[1:]], names=SCHEMA.names)
        out = io.BytesIO()
        pa_csv.write_csv(text, out, _CSV_OPTIONS)
        return head + out.getvalue()

    def end(self) -> bytes:
        return self._header  # the header alone when there were no bars


class _DrainedWriterEncoder:
    """A pyarrow writer (`open_writer(file)`) into a `_Drain`: each call returns the bytes
    it wrote."""

    def __init__(self, open_writer: Callable[[pa.PythonFile], Any]) -> None:
        self._sink = _Drain()
        self._writer = open_writer(pa.PythonFile(self._sink, mode="w"))

    def batch(self, batch: pa.RecordBatch) -> bytes:
        self._writer.write_batch(batch)
        return self._sink.take()

    def end(self) -> bytes:
        self._writer.close()
        return self._sink.take()


class ArrowStreamEncoder(_DrainedWriterEncoder):
    def __init__(self) -> None:
        super().__init__(lambda file: pa.ipc.new_stream(file, SCHEMA))


class ParquetEncoder(_DrainedWriterEncoder):
    """One row group per batch: a row group is written out whole, then dropped."""

    def __init__(self) -> None:
        super().__init__(lambda file: pq.ParquetWriter(file, SCHEMA, compression="zstd"))


def encoder_for(media_type: BarsMediaType) -> BarEncoder:
    if media_type is BarsMediaType.CSV:
        return CsvEncoder()
    if media_type is BarsMediaType.ARROW:
        return ArrowStreamEncoder()
    if media_type is BarsMediaType.PARQUET:
        return ParquetEncoder()
    raise ValueError(f"{media_type} is not an export format")
