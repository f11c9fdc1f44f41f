"""GET /v1/bars bulk export (CSV, Parquet, Arrow IPC stream): exactly the JSON pages' bars,
whatever the batch size; coverage named in the body and the `Pq-Coverage` header."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pq_domain import Bar, Interval
from pq_query.model.times import parse_instant, rfc3339

from .conftest import RunningQuery
from .events import T0, H, publish_sync, unique_symbol
from .test_bars_pages import pages

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


FORMATS = ["text/csv", "application/vnd.apache.parquet", "application/vnd.apache.arrow.stream"]


@pytest.mark.parametrize("media_type", FORMATS)
async def test_every_export_format_holds_exactly_the_json_pages_bars(
    query_service: RunningQuery, media_type: str
) -> None:
    query_service.resources.settings.export_batch_bars = 1000  # several batches
    symbol = unique_symbol()
    await publish_sync(query_service.js, "job-export", symbol, Interval.H1, awkward_bars(2500))
    await query_service.projected()
    params = {"symbol": str(symbol), "interval": "1h", "start": rfc3339(T0 + 3 * H)}
    expected = from_json(await pages(query_service, **params, limit=700))
    assert len(expected) == 2497

    answer = await query_service.client.get(
        "/v1/bars", params=params, headers={"Accept": media_type}
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith(media_type)
    assert answer.headers["pq-coverage"] == f"{rfc3339(T0)}/{rfc3339(T0 + 2500 * H)}"
    assert decode(media_type, answer.content) == expected


@pytest.mark.parametrize("media_type", FORMATS)
async def test_an_export_of_nothing_is_a_valid_empty_file(
    query_service: RunningQuery, media_type: str
) -> None:
    answer = await query_service.client.get(
        "/v1/bars",
        params={"symbol": str(unique_symbol()), "interval": "1m"},
        headers={"Accept": media_type},
    )
    assert answer.status_code == 200
    assert "pq-coverage" not in answer.headers
    assert decode(media_type, answer.content) == []


async def test_unknown_accept_is_406_problem(query_service: RunningQuery) -> None:
    answer = await query_service.client.get(
        "/v1/bars", params={"symbol": "NASDAQ:AAPL", "interval": "1m"},
        headers={"Accept": "application/xml"},
    )  # fmt: skip
    assert answer.status_code == 406
    assert answer.headers["content-type"] == "application/problem+json"
    assert "text/csv" in answer.json()["detail"]


async def test_coverage_says_why_a_page_is_empty(query_service: RunningQuery) -> None:
    symbol = unique_symbol()
    await publish_sync(query_service.js, "job-cov", symbol, Interval.H1, awkward_bars(10))
    await query_service.projected()
    never = await query_service.client.get(
        "/v1/bars", params={"symbol": str(unique_symbol()), "interval": "1h"}
    )
    assert never.json()["coverage"] is None
    assert "pq-coverage" not in never.headers

    before = {"symbol": str(symbol), "interval": "1h", "end": rfc3339(T0)}
    outside = await query_service.client.get("/v1/bars", params=before)
    body = outside.json()
    assert body["bars"] == []
    assert body["coverage"] == {"start": rfc3339(T0), "end": rfc3339(T0 + 10 * H)}
    assert outside.headers["pq-coverage"] == "2024-01-01T00:00:00Z/2024-01-01T10:00:00Z"
    again = await query_service.client.get("/v1/bars", params=before)  # a cache hit
    assert again.headers["pq-coverage"] == outside.headers["pq-coverage"]
    assert datetime.fromisoformat(body["coverage"]["end"]) == datetime(2024, 1, 1, 10, tzinfo=UTC)
