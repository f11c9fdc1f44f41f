"""One set of bars, four outputs, from JSON pages or from an Arrow IPC stream alike."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from pocketquant.frames import ArrowStream, BarColumns, BarRow, convert

BARS = [
    {"t": "2025-01-02T14:30:00Z", "o": 1.0, "h": 2.0, "l": 0.5, "c": 1.5, "v": 100.0},
    {"t": "2025-01-03T14:30:00Z", "o": 1.5, "h": 2.5, "l": 1.0, "c": 2.0, "v": 200},
]


def from_json() -> BarColumns:
    columns = BarColumns()
    columns.extend(BARS)
    return columns


def from_arrow() -> ArrowStream:
    times = [int(datetime.fromisoformat(b["t"]).timestamp() * 1000) for b in BARS]  # type: ignore[arg-type]
    table = pa.table(
        {
            "t": pa.array(times, pa.int64()).cast(pa.timestamp("ms", tz="UTC")),
            **{k: pa.array([float(b[k]) for b in BARS]) for k in "ohlcv"},  # type: ignore[arg-type]
        }
    )
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return ArrowStream(sink.getvalue().to_pybytes())


@pytest.mark.parametrize("source", [from_json, from_arrow])
def test_pandas_has_a_utc_time_index_and_float_columns(source) -> None:  # type: ignore[no-untyped-def]
    frame = convert(source(), "pandas")
    assert isinstance(frame, pd.DataFrame)
    assert frame.index.name == "time"
    assert str(frame.index.dtype) == "datetime64[ns, UTC]"
    assert list(frame.columns) == ["open", "high", "low", "close", "volume"]
    assert all(str(t) == "float64" for t in frame.dtypes)
    assert frame.index[0] == pd.Timestamp("2025-01-02T14:30:00Z")
    assert frame["volume"].tolist() == [100.0, 200.0]


@pytest.mark.parametrize("source", [from_json, from_arrow])
def test_polars_arrow_and_rows_agree(source) -> None:  # type: ignore[no-untyped-def]
    polars = convert(source(), "polars")
    assert isinstance(polars, pl.DataFrame)
    assert polars.schema["time"] == pl.Datetime("us", "UTC")
    table = convert(source(), "arrow")
    assert table.schema.field("time").type == pa.timestamp("ms", tz="UTC")
    rows = convert(source(), "rows")
    assert rows[1] == BarRow(datetime(2025, 1, 3, 14, 30, tzinfo=UTC), 1.5, 2.5, 1.0, 2.0, 200.0)
    assert polars.rows() == [tuple(r) for r in rows]
    assert table.column_names == ["time", "open", "high", "low", "close", "volume"]
