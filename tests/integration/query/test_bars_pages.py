"""GET /v1/bars over bars projected from BarSynced: paging, ranges, order, fill=prev."""

from __future__ import annotations

from typing import Any

from pq_domain import Interval
from pq_domain.instants import format_instant

from .conftest import RunningQuery
from .events import T0, H, hourly_bars, publish_sync, unique_symbol


async def pages(q: RunningQuery, **params: Any) -> list[dict[str, Any]]:
    bars: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await q.get_json("/v1/bars", **params, **({"cursor": cursor} if cursor else {}))
        bars.extend(page["bars"])
        cursor = page["next_cursor"]
        if cursor is None:
            return bars


async def test_pages_walk_through_every_bar_once_in_order(query_service: RunningQuery) -> None:
    symbol, stored = unique_symbol(), hourly_bars(2500)
    await publish_sync(query_service.js, "job-pages", symbol, Interval.H1, stored)
    await query_service.projected()
    params = {"symbol": str(symbol), "interval": "1h", "limit": 700}

    ascending = await pages(query_service, **params)
    assert [b["t"] for b in ascending] == [format_instant(b.t) for b in stored]
    first = stored[0]
    assert ascending[0] == {
        "t": "2024-01-01T00:00:00Z", "o": first.o, "h": first.h, "l": first.l, "c": first.c,
        "v": first.v,
    }  # fmt: skip
    descending = await pages(query_service, **params, sort="desc")
    assert descending == list(reversed(ascending))


async def test_start_end_bound_the_range_as_rfc3339_or_epoch_ms(
    query_service: RunningQuery,
) -> None:
    symbol, stored = unique_symbol(), hourly_bars(100)
    await publish_sync(query_service.js, "job-range", symbol, Interval.H1, stored)
    await query_service.projected()
    start, end = T0 + 10 * H, T0 + 20 * H
    by_text = await pages(
        query_service,
        symbol=str(symbol),
        interval="1h",
        start=format_instant(start),
        end=format_instant(end),
    )
    by_ms = await pages(query_service, symbol=str(symbol), interval="1h", start=start, end=end)
    assert by_text == by_ms
    assert [b["t"] for b in by_text] == [format_instant(T0 + i * H) for i in range(10, 20)]


async def test_fill_prev_adds_flat_bars_that_are_never_stored(query_service: RunningQuery) -> None:
    # A 24x7 symbol: its 1h grid is the UTC hours these bars have (a NASDAQ symbol's 1h bars
    # open 09:30 ... New York, and its nights and weekends get no flat bar).
    symbol = unique_symbol("BINANCE")
    stored = [b for b in hourly_bars(10) if b.t not in (T0 + 3 * H, T0 + 4 * H)]
    await publish_sync(query_service.js, "job-fill", symbol, Interval.H1, stored)
    await query_service.projected()
    params = {"symbol": str(symbol), "interval": "1h", "fill": "prev", "limit": 4}
    filled = await pages(query_service, **params)
    assert [b["t"] for b in filled] == [format_instant(T0 + i * H) for i in range(10)]
    gap = filled[3]
    assert gap == {"t": format_instant(T0 + 3 * H), "o": stored[2].c, "h": stored[2].c,
                   "l": stored[2].c, "c": stored[2].c, "v": 0.0, "filled": True}  # fmt: skip
    assert "filled" not in filled[2]
    assert [b["t"] for b in await pages(query_service, **params, sort="desc")] == [
        b["t"] for b in reversed(filled)
    ]
    plain = await pages(query_service, symbol=str(symbol), interval="1h")
    assert len(plain) == 8


async def test_bad_parameters_are_problems_naming_the_field(query_service: RunningQuery) -> None:
    cases: dict[str, dict[str, str | int]] = {
        "query.interval": {"symbol": "NASDAQ:AAPL", "interval": "2h"},
        "query.symbol": {"symbol": "AAPL", "interval": "1h"},
        "query.start": {"symbol": "NASDAQ:AAPL", "interval": "1h", "start": "yesterday"},
        "query.cursor": {"symbol": "NASDAQ:AAPL", "interval": "1h", "cursor": "nope"},
        "query.limit": {"symbol": "NASDAQ:AAPL", "interval": "1h", "limit": 10_001},
        "query.end": {"symbol": "NASDAQ:AAPL", "interval": "1h", "start": 5, "end": 5},
    }
    for field, params in cases.items():
        answer = await query_service.client.get("/v1/bars", params=params)
        assert answer.status_code == 422, (field, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in answer.json()["errors"]] == [field]
