"""The history pipeline end to end, on the whole stack `pq up` starts (free ports, temp data).

(a) POST /v1/sync of 5,000 1h bars until GET /v1/bars returns all 5,000, in seconds (median
    of three symbols, each synced once), beside the TradingView client fetching the same
    5,000 bars from the same simulator in-process: what the pipeline adds to the provider.
(b) GET /v1/bars of 1,000 bars through the gateway (sequential, one keep-alive stdlib
    http.client connection, five rotating windows): requests/s, p50 and p99, beside the same
    query run directly on the query service's SQLite read model in the same run. The client
    reads the body and counts its bars without parsing it: httpx plus a JSON parse cost
    ~2 ms of this process's CPU per request, a figure of the client, not of PocketQuant.
"""

from __future__ import annotations

import asyncio
import http.client
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from bench.harness import BenchRow
from pq_tradingview import TradingViewClient, TradingViewSettings
from tests.support.pq_rest import epoch_ms
from tests.support.stack_runner import E2eStack, start_stack
from tests.support.waiting import wait_until

SYMBOLS = ("NASDAQ:AAPL", "NASDAQ:MSFT", "NYSE:BRK.B")
SYNC_BARS = 5000
PAGE = 1000
READS = 300
WARMUP = 20


def _sync_seconds(client: httpx.Client, symbol: str) -> float:
    """POST /v1/sync, poll the job until done, then GET /v1/bars until every bar is readable."""
    params: dict[str, str | int] = {"symbol": symbol, "interval": "1h", "limit": 10_000}
    started = time.perf_counter()
    body = {"symbol": symbol, "interval": "1h", "bars": SYNC_BARS}
    response = client.post("/v1/sync", json=body)
    assert response.status_code == 202, response.text
    job = f"/v1/sync/{response.json()['job_id']}"

    def done() -> bool:  # cheap polls first: a page of 5,000 bars is not
        state = client.get(job)
        return state.status_code == 200 and state.json()["status"] == "done"

    def readable() -> bool:
        page = client.get("/v1/bars", params=params)
        return page.status_code == 200 and len(page.json()["bars"]) == SYNC_BARS

    wait_until(done, timeout=120, interval=0.02, what=f"sync of {symbol} done")
    wait_until(readable, timeout=60, interval=0.02, what=f"{SYNC_BARS} bars of {symbol}")
    return time.perf_counter() - started


async def _provider_seconds(url: str, symbol: str) -> float:
    async with TradingViewClient(TradingViewSettings(url=url)) as tv:
        started = time.perf_counter()
        result = await tv.fetch_history(symbol, "1h", bars=SYNC_BARS)
        took = time.perf_counter() - started
    assert len(result.bars) == SYNC_BARS
    return took


def _windows(client: httpx.Client, symbol: str) -> list[int]:
    """The start (epoch ms) of five disjoint 1,000-bar windows of `symbol`."""
    page = client.get("/v1/bars", params={"symbol": symbol, "interval": "1h", "limit": 10_000})
    times = [epoch_ms(bar["t"]) for bar in page.json()["bars"]]
    return [times[i] for i in range(0, SYNC_BARS, PAGE)]


def _latencies(read: Callable[[int], int], starts: list[int]) -> tuple[float, list[float]]:
    """Requests/s and each read's seconds; every read must return a full page."""
    for i in range(WARMUP):
        read(starts[i % len(starts)])
    took: list[float] = []
    began = time.perf_counter()
    for i in range(READS):
        started = time.perf_counter()
        count = read(starts[i % len(starts)])
        took.append(time.perf_counter() - started)
        assert count == PAGE, f"a read returned {count} bars"
    return READS / (time.perf_counter() - began), took


def _direct_reader(db: Path, symbol: str) -> Callable[[int], int]:
    """The query service's own read (bar_reader.py) on its SQLite file, read-only."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)
    (generation,) = conn.execute(
        "SELECT generation FROM query_generations WHERE model = 'bars'"
    ).fetchone()
    sql = (
        f"SELECT t, o, h, l, c, v FROM bars_g{int(generation)} WHERE symbol = ? AND interval = ?"
        " AND t >= ? AND t < ? ORDER BY t ASC LIMIT ?"
    )
    return lambda start: len(conn.execute(sql, (symbol, "1h", start, 2**62, PAGE)).fetchall())


def _percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def _measure(stack: E2eStack) -> dict[str, Any]:
    with httpx.Client(base_url=stack.gateway_url, headers=stack.auth_headers(), timeout=30) as c:
        syncs = [_sync_seconds(c, symbol) for symbol in SYMBOLS]
        tv_url = stack.record.endpoints["tradingview_url"] if stack.record else ""
        provider = [asyncio.run(_provider_seconds(tv_url, symbol)) for symbol in SYMBOLS]
        starts = _windows(c, SYMBOLS[0])
        url = httpx.URL(stack.gateway_url)
        conn = http.client.HTTPConnection(url.host, url.port, timeout=30)
        headers = stack.auth_headers()
        target = f"/v1/bars?symbol={SYMBOLS[0]}&interval=1h&limit={PAGE}&start="

        def via_gateway(start: int) -> int:
            conn.request("GET", f"{target}{start}", headers=headers)
            response = conn.getresponse()
            body = response.read()
            assert response.status == 200, body[:200]
            return body.count(b'"t":')

        try:
            gateway = _latencies(via_gateway, starts)
        finally:
            conn.close()
    direct = _latencies(_direct_reader(stack.data_dir / "data" / "query.db", SYMBOLS[0]), starts)
    return {"sync": syncs, "provider": provider, "gateway": gateway, "direct": direct}


def run() -> list[BenchRow]:
    with tempfile.TemporaryDirectory(prefix="pq-bench-") as tmp:
        stack = start_stack(Path(tmp) / "pq")
        try:
            m = _measure(stack)
        finally:
            stack.stop()
    (g_rate, g_took), (d_rate, d_took) = m["gateway"], m["direct"]
    read = "GET /v1/bars 1,000 bars via gateway"
    store = "same query on query.db"
    return [
        BenchRow(
            "POST /v1/sync 5,000 1h bars -> all readable",
            statistics.median(m["sync"]),
            "s",
            "TradingView client fetch, same bars",
            statistics.median(m["provider"]),
            higher_is_better=False,
        ),
        BenchRow(f"{read}, req/s", g_rate, "req/s", f"{store}, req/s", d_rate),
        BenchRow(
            f"{read}, p50",
            _percentile(g_took, 50),
            "ms",
            f"{store}, p50",
            _percentile(d_took, 50),
            higher_is_better=False,
        ),
        BenchRow(
            f"{read}, p99",
            _percentile(g_took, 99),
            "ms",
            f"{store}, p99",
            _percentile(d_took, 99),
            higher_is_better=False,
        ),
    ]
