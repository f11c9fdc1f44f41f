"""Reading bulk exports of GET /v1/bars (CSV, Parquet, Arrow) and JSON pages as plain
tuples, to compare them exactly; and bars whose prices have no short decimal form."""

from __future__ import annotations

import csv
import io
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pq_domain import Bar
from pq_domain.instants import parse_instant

T0 = 1_704_067_200_000  # 2024-01-01T00:00:00Z
H = 3_600_000

BarTuple = tuple[int, float, float, float, float, float]


def awkward_bars(count: int) -> list[Bar]:
    """Prices with no short decimal form, so any rounding on the way shows."""
    out = []
    for i in range(count):
        o = 100.0 + i / 7 + 1 / 3
        out.append(Bar(T0 + i * H, o, o + 0.1 / 3, o - 2 / 9, o + 1e-9, 10.0 + i / 11))
    return out


def from_json(bars: list[dict[str, Any]]) -> list[BarTuple]:
    return [(parse_instant(b["t"]), b["o"], b["h"], b["l"], b["c"], b["v"]) for b in bars]


def from_table(table: pa.Table) -> list[BarTuple]:
    assert table.schema.field("t").type == pa.timestamp("ms", tz="UTC")
    cols = table.to_pydict()
    ts = [int(d.timestamp() * 1000) for d in cols["t"]]
    return list(zip(ts, cols["o"], cols["h"], cols["l"], cols["c"], cols["v"], strict=True))


def from_csv(text: str) -> list[BarTuple]:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["t", "o", "h", "l", "c", "v"]
    return [(parse_instant(r[0]), *map(float, r[1:])) for r in rows[1:]]  # type: ignore[misc]


def decode(media_type: str, body: bytes) -> list[BarTuple]:
    if media_type == "text/csv":
        return from_csv(body.decode())
    if media_type == "application/vnd.apache.parquet":
        return from_table(pq.read_table(io.BytesIO(body)))
    return from_table(pa.ipc.open_stream(body).read_all())
