"""GET /v1/bars bulk export (CSV, Parquet, Arrow IPC stream): exactly the JSON pages' bars,
whatever the batch size; coverage named in the body and the `Pq-Coverage` header."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pq_domain import Interval
from pq_domain.instants import format_instant
from tests.support.bar_exports import awkward_bars, decode, from_json

from .conftest import RunningQuery
from .events import T0, H, publish_sync, unique_symbol
from .test_bars_pages import pages

FORMATS = ["text/csv", "application/vnd.apache.parquet", "application/vnd.apache.arrow.stream"]


@pytest.mark.parametrize("media_type", FORMATS)
async def test_every_export_format_holds_exactly_the_json_pages_bars(
    query_service: RunningQuery, media_type: str
) -> None:
    query_service.resources.settings.export_batch_bars = 1000  # several batches
    symbol = unique_symbol()
    await publish_sync(query_service.js, "job-export", symbol, Interval.H1, awkward_bars(2500))
    await query_service.projected()
    params = {"symbol": str(symbol), "interval": "1h", "start": format_instant(T0 + 3 * H)}
    expected = from_json(await pages(query_service, **params, limit=700))
    assert len(expected) == 2497

    answer = await query_service.client.get(
        "/v1/bars", params=params, headers={"Accept": media_type}
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith(media_type)
    assert answer.headers["pq-coverage"] == f"{format_instant(T0)}/{format_instant(T0 + 2500 * H)}"
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

    before = {"symbol": str(symbol), "interval": "1h", "end": format_instant(T0)}
    outside = await query_service.client.get("/v1/bars", params=before)
    body = outside.json()
    assert body["bars"] == []
    assert body["coverage"] == {"start": format_instant(T0), "end": format_instant(T0 + 10 * H)}
    assert outside.headers["pq-coverage"] == "2024-01-01T00:00:00Z/2024-01-01T10:00:00Z"
    again = await query_service.client.get("/v1/bars", params=before)  # a cache hit
    assert again.headers["pq-coverage"] == outside.headers["pq-coverage"]
    assert datetime.fromisoformat(body["coverage"]["end"]) == datetime(2024, 1, 1, 10, tzinfo=UTC)


@pytest.mark.parametrize("media_type", FORMATS)
async def test_a_cached_export_is_the_same_and_a_new_write_retires_it(
    query_service: RunningQuery, media_type: str
) -> None:
    query_service.resources.settings.export_batch_bars = 400
    symbol = unique_symbol()
    await publish_sync(query_service.js, "job-cached", symbol, Interval.H1, awkward_bars(1000))
    await query_service.projected()
    params = {"symbol": str(symbol), "interval": "1h"}
    headers = {"Accept": media_type}
    first = await query_service.client.get("/v1/bars", params=params, headers=headers)
    second = await query_service.client.get("/v1/bars", params=params, headers=headers)
    assert second.content == first.content
    assert len(decode(media_type, second.content)) == 1000

    more = awkward_bars(1001)[1000:]
    await publish_sync(query_service.js, "job-cached-2", symbol, Interval.H1, more)
    await query_service.projected()
    third = await query_service.client.get("/v1/bars", params=params, headers=headers)
    assert len(decode(media_type, third.content)) == 1001
