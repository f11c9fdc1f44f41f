"""The load generator against a real HTTP server: counts, rate, errors by status, CLI JSON."""

from __future__ import annotations

import asyncio
import json

import pytest
from pq_loadgen import LoadPlan, RequestMix
from pq_loadgen.aiohttp_sender import aiohttp_sender
from pq_loadgen.cli import build_parser, run_from_args
from pq_loadgen.http_sender import HttpOptions, http_sender
from pq_loadgen.mix import parse_kinds
from pq_loadgen.results import LAG_WARNING_S
from pq_loadgen.runner import run_load

from tests.integration.loadgen.tiny_app import serving_tiny_app

SENDERS = {"httpx": http_sender, "aiohttp": aiohttp_sender}


@pytest.mark.parametrize("client", sorted(SENDERS))
async def test_fixed_rate_run_counts_and_reports_errors_by_status(client: str) -> None:
    plan = LoadPlan(rate_per_s=200, duration_s=2)
    mix = RequestMix(parse_kinds("bars=6,quote=3,health=1"), seed=3)
    sender = SENDERS[client]
    async with serving_tiny_app() as base_url, sender(HttpOptions(base_url)) as send:
        result = await asyncio.wait_for(run_load(plan, mix, send), timeout=30)
    assert result.sent == 400
    assert result.completed == 400
    assert result.errors_by_exception == {}
    # Every quote request got the server's 503, and nothing else failed.
    assert dict(result.errors_by_status) == {"503": result.sent_by_kind["quote"]}
    assert result.ok == result.sent_by_kind["bars"] + result.sent_by_kind["health"]
    # The rate is measured at real dispatch. On a loaded 2-core machine the client itself
    # may fall behind (httpx costs ~1.8 ms CPU a request); then it must say so.
    on_rate = result.achieved_rate_per_s == pytest.approx(200, rel=0.05)
    assert on_rate or result.max_schedule_lag_s > LAG_WARNING_S
    assert result.achieved_rate_per_s <= 201
    assert (
        0 < result.latency.percentile(50) <= result.latency.percentile(99) <= result.latency.max_s
    )


async def test_cli_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    async with serving_tiny_app() as base_url:
        args = build_parser().parse_args(
            [
                *("--base-url", base_url, "--rate", "50", "--duration", "1", "--mix", "health"),
                *("--client", "aiohttp", "--json"),
            ]
        )
        result = await asyncio.wait_for(run_from_args(args), timeout=30)
    report = json.loads(result.to_json())
    assert report["sent"] == report["completed"] == report["ok"] == 50
    assert set(report["latency_ms"]) == {"p50", "p90", "p99", "p99.9", "max", "mean"}


async def test_connection_refused_is_an_error_by_exception() -> None:
    async with serving_tiny_app() as base_url:
        pass  # the port is closed again: nothing listens there now
    plan = LoadPlan(rate_per_s=50, duration_s=0.2)
    mix = RequestMix(parse_kinds("health"))
    async with http_sender(HttpOptions(base_url, timeout_s=2)) as send:
        result = await asyncio.wait_for(run_load(plan, mix, send), timeout=30)
    assert result.sent == 10
    assert result.completed == 0
    assert dict(result.errors_by_exception) == {"ConnectError": 10}
