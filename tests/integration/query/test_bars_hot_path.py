"""GET /v1/bars: the hot path answers what the declared route would, byte for byte, and
leaves it everything else."""

from __future__ import annotations

from typing import Any

import pytest

import pq_query.api.bars_hot_path as hot_path
import pq_query.api.routers.bars as declared
from pq_domain import Bar, Interval

from .conftest import RunningQuery
from .events import T0, H, hourly_bars, publish_live, publish_sync, unique_symbol

Answer = tuple[int, list[tuple[str, str]], bytes]


async def answer(q: RunningQuery, query: str) -> Answer:
    r = await q.client.get(f"/v1/bars?{query}")
    return r.status_code, sorted(r.headers.items()), r.content


def queries(symbol: str) -> list[str]:
    s = f"symbol={symbol}"
    return [
        f"{s}&interval=1h",
        f"{s}&interval=1h&limit=7&sort=desc",
        f"{s}&interval=1h&limit=4&fill=prev",
        f"{s}&interval=1h&limit=4&fill=prev&sort=desc",
        f"{s}&interval=1h&start=2024-01-01T05:00:00Z&end={T0 + 20 * H}",
        f"{s}&interval=1h&start=2024-01-01T05:00:00.5%2B01:00&limit=3",
        f"{s}&interval=1h&limit=2&cursor=djE6YToxNzA0MDcwODAwMDAw",
        f"{s}&interval=1m",  # nothing stored
        f"{s}&interval=1h&limit=2&limit=3&unknown=1",
        f"symbol={symbol.lower()}&interval=1h&limit=3",
        "symbol=AAPL&interval=1h",
        f"{s}&interval=2h",
        f"{s}&interval=1h&start=yesterday",
        f"{s}&interval=1h&start=5&end=5",
        f"{s}&interval=1h&cursor=nope",
        f"{s}&interval=1h&cursor=djE6YTo5OTk5OTk5OTk5OTk5OTk5OTk5OTk5",  # t beyond 64 bits
        f"{s}&interval=1h&sort=desc&cursor=djE6YToxNzA0MDcwODAwMDAw",
        f"{s}&interval=1h&end=",
        "symbol=&interval=",
    ]


async def test_the_hot_path_answers_as_the_declared_route(
    query_service: RunningQuery, monkeypatch: pytest.MonkeyPatch
) -> None:
    symbol = unique_symbol()
    stored = [b for b in hourly_bars(40) if b.t not in (T0 + 3 * H, T0 + 4 * H)]
    await publish_sync(query_service.js, "job-hot", symbol, Interval.H1, stored)
    await publish_live(query_service.js, symbol, Interval.H1, Bar(T0 + 40 * H, 1, 2, 0.5, 1.5, 3))
    await query_service.projected()
    cases = queries(str(symbol).replace(":", "%3A"))

    hot = [await answer(query_service, query) for query in cases]
    monkeypatch.setattr(hot_path, "plain_params", lambda _: None)  # all to the route
    routed = [await answer(query_service, query) for query in cases]

    for query, a, b in zip(cases, hot, routed, strict=True):
        assert a == b, query
    statuses = [status for status, _, _ in hot]
    assert statuses.count(200) == 10
    assert statuses.count(422) == 9


async def test_only_what_the_declared_types_would_refuse_goes_to_the_route(
    query_service: RunningQuery, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: Any) -> Any:
        raise AssertionError("the declared route ran")

    monkeypatch.setattr(declared, "serve_page", broken)
    latency = query_service.resources.metrics.http_latency
    before = latency.labels("/v1/bars", "GET", "200")._sum.get()
    for query in ("limit=5", "limit=10000&sort=desc&fill=prev", "fill=none&sort=asc"):
        r = await query_service.client.get(f"/v1/bars?symbol=NASDAQ:AAPL&interval=1h&{query}")
        assert r.status_code == 200, query
        assert r.json()["bars"] == []
    # Timed under the route it stands for, as before.
    assert latency.labels("/v1/bars", "GET", "200")._sum.get() > before

    for query in ("limit=05", "limit=+5", "limit=5.0"):  # pydantic reads these as 5
        with pytest.raises(AssertionError, match="declared route"):
            await query_service.client.get(f"/v1/bars?symbol=NASDAQ:AAPL&interval=1h&{query}")
    for query in ("limit=0", "sort=ASC", "fill=", f"cursor={'x' * 513}", "interval=1234567890"):
        r = await query_service.client.get(f"/v1/bars?symbol=NASDAQ:AAPL&interval=1h&{query}")
        assert r.status_code == 422, query
        assert r.json()["title"] == "Request validation failed"
    r = await query_service.client.get("/v1/bars?interval=1h&limit=0")
    assert [e["field"] for e in r.json()["errors"]] == ["query.symbol", "query.limit"]
