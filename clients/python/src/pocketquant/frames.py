"""Bars as a pandas or polars DataFrame or an Arrow table (the libraries are extras).

Every output has the same columns: `time` (UTC; the pandas index), then float64
`open high low close volume`.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from .times import parse_ms

if TYPE_CHECKING:
    import pandas
    import polars
    import pyarrow

Output = Literal["pandas", "polars", "arrow", "rows"]
OUTPUTS: tuple[Output, ...] = ("pandas", "polars", "arrow", "rows")
COLUMNS = ("open", "high", "low", "close", "volume")
_WIRE = ("o", "h", "l", "c", "v")
_EXTRA = {"pandas": "pandas", "polars": "polars", "arrow": "arrow", "pyarrow": "arrow"}


class BarRow(NamedTuple):
    """One bar of `output="rows"` (no extra needed)."""

    time: datetime
    open: float
    high: float
    low: float
    close: float
    volume: float


@dataclass
class BarColumns:
    """Bars read from JSON pages, column by column (`t` in epoch milliseconds)."""

    t: list[int] = field(default_factory=list)
    values: dict[str, list[float]] = field(default_factory=lambda: {c: [] for c in _WIRE})

    def __len__(self) -> int:
        return len(self.t)

    def extend(self, bars: list[dict[str, Any]]) -> None:
        self.t += [parse_ms(bar["t"]) for bar in bars]
        for name in _WIRE:
            self.values[name] += [float(bar[name]) for bar in bars]

    def truncate(self, count: int) -> None:
        del self.t[count:]
        for column in self.values.values():
            del column[count:]

    def rows(self) -> list[BarRow]:
        o, h, l, c, v = (self.values[name] for name in _WIRE)
        times = (datetime.fromtimestamp(ms / 1000, UTC) for ms in self.t)
        return [BarRow(*row) for row in zip(times, o, h, l, c, v, strict=True)]


@dataclass(frozen=True)
class ArrowStream:
    """An Arrow IPC stream as the export sends it: `t` timestamp[ms, UTC], `o h l c v`."""

    data: bytes


BarData = BarColumns | ArrowStream


def has_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def require(module: str) -> None:
    if not has_module(module):
        extra = _EXTRA.get(module, module)
        raise ImportError(
            f"this needs {module}: pip install 'pocketquant[{extra}]' (or pocketquant[all])"
        )


def to_arrow(data: BarData) -> pyarrow.Table:
    require("pyarrow")
    import pyarrow as pa

    if isinstance(data, ArrowStream):
        table = pa.ipc.open_stream(data.data).read_all()
        times = table.column("t").cast(pa.timestamp("ms", tz="UTC"))
        values = [table.column(name).cast(pa.float64()) for name in _WIRE]
    else:
        times = pa.array(data.t, type=pa.int64()).cast(pa.timestamp("ms", tz="UTC"))
        values = [pa.array(data.values[name], type=pa.float64()) for name in _WIRE]
    return pa.table([times, *values], names=["time", *COLUMNS])


def to_pandas(data: BarData) -> pandas.DataFrame:
    require("pandas")
    import pandas as pd

    if isinstance(data, ArrowStream):
        frame = to_arrow(data).to_pandas()
        index = pd.DatetimeIndex(frame.pop("time"), name="time").tz_convert("UTC")
        frame.index = index.as_unit("ns")  # as pandas makes it from JSON, below
        return frame.astype("float64")
    times = pd.to_datetime(pd.Series(data.t, dtype="int64"), unit="ms", utc=True)
    index = pd.DatetimeIndex(times, name="time").as_unit("ns")
    columns = {name: data.values[wire] for name, wire in zip(COLUMNS, _WIRE, strict=True)}
    return pd.DataFrame(columns, index=index, dtype="float64")


def to_polars(data: BarData) -> polars.DataFrame:
    require("polars")
    import polars as pl

    if isinstance(data, ArrowStream):
        frame = pl.from_arrow(to_arrow(data))
        assert isinstance(frame, pl.DataFrame)
        return frame.with_columns(pl.col("time").cast(pl.Datetime("us", "UTC")))
    columns: dict[str, Any] = {"time": data.t}
    columns |= {name: data.values[wire] for name, wire in zip(COLUMNS, _WIRE, strict=True)}
    schema = {"time": pl.Int64, **dict.fromkeys(COLUMNS, pl.Float64)}
    frame = pl.DataFrame(columns, schema=schema)
    time = pl.from_epoch("time", time_unit="ms").dt.replace_time_zone("UTC")
    return frame.with_columns(time.cast(pl.Datetime("us", "UTC")))


def to_rows(data: BarData) -> list[BarRow]:
    if isinstance(data, BarColumns):
        return data.rows()
    table = to_arrow(data)
    columns = [table.column(name).to_pylist() for name in ("time", *COLUMNS)]
    return [BarRow(*row) for row in zip(*columns, strict=True)]


def convert(data: BarData, output: Output) -> Any:
    if output == "rows":
        return to_rows(data)
    if output == "pandas":
        return to_pandas(data)
    if output == "polars":
        return to_polars(data)
    if output == "arrow":
        return to_arrow(data)
    raise ValueError(f"output must be one of {', '.join(OUTPUTS)}, not {output!r}")
