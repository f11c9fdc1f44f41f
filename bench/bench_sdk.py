"""The SDK's one call against what a user wrote by hand before it, on a stack `pq up` starts.

`pocketquant.Client().bars(symbol, "1d", 2025-01-01, 2025-07-01)` on a symbol never
synced (coverage probe, sync, wait, read, DataFrame) beside the same work in plain REST:
POST /v1/sync, poll the job every 20 ms, GET the page of bars. Alternating symbols, each
synced once; medians of three.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import httpx

import pocketquant
from bench.harness import BenchRow
from tests.support.stack_runner import E2eStack, start_stack

START, END = "2025-01-01T00:00:00Z", "2025-07-01T00:00:00Z"
SIM_START = "2025-09-06T12:00:00+00:00"  # a Saturday after the range: its history is final
BY_HAND = ("NASDAQ:AAPL", "NASDAQ:AMZN", "NYSE:JPM")
WITH_SDK = ("NASDAQ:MSFT", "NASDAQ:GOOGL", "NYSE:KO")


def _by_hand(http: httpx.Client, symbol: str) -> float:
    started = time.perf_counter()
    body = {"symbol": symbol, "interval": "1d", "start": START, "end": END}
    job = f"/v1/sync/{http.post('/v1/sync', json=body).json()['job_id']}"
    while http.get(job).json()["status"] not in ("done", "failed"):
        time.sleep(0.02)
    params: dict[str, str | int] = {"symbol": symbol, "interval": "1d", "limit": 10_000}
    params |= {"start": START, "end": END}
    bars = http.get("/v1/bars", params=params).json()["bars"]
    took = time.perf_counter() - started
    assert 120 <= len(bars) <= 135, len(bars)
    return took


def _with_sdk(client: pocketquant.Client, symbol: str) -> float:
    started = time.perf_counter()
    frame = client.bars(symbol, "1d", start=START, end=END)
    took = time.perf_counter() - started
    assert 120 <= len(frame) <= 135, len(frame)
    return took


def _measure(stack: E2eStack) -> tuple[list[float], list[float]]:
    hand: list[float] = []
    sdk: list[float] = []
    headers = stack.auth_headers()
    with (
        httpx.Client(base_url=stack.gateway_url, headers=headers, timeout=30) as http,
        pocketquant.Client(stack.gateway_url, stack.api_key) as client,
    ):
        for manual, automatic in zip(BY_HAND, WITH_SDK, strict=True):
            hand.append(_by_hand(http, manual))
            sdk.append(_with_sdk(client, automatic))
    return hand, sdk


def run() -> list[BenchRow]:
    with tempfile.TemporaryDirectory(prefix="pq-bench-") as tmp:
        stack = start_stack(Path(tmp) / "pq", ready_timeout=300.0, PQ_TVSIM_START=SIM_START)
        try:
            hand, sdk = _measure(stack)
        finally:
            stack.stop()
    return [
        BenchRow(
            "SDK client.bars(), 6 months of 1d, nothing synced before",
            statistics.median(sdk),
            "s",
            "REST by hand: POST /v1/sync, poll every 20 ms, GET /v1/bars",
            statistics.median(hand),
            higher_is_better=False,
            target="<= 1.3x",
        )
    ]
