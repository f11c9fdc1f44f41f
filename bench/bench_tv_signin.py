"""What signing in to TradingView costs, against the simulator in this process.

- the sign-in round trip (`POST /accounts/signin/`) beside an anonymous connect (WebSocket
  upgrade plus the server's hello), the work every connection does anyway;
- a fresh client's first 10-bar history fetch signed in (sign-in + connect + fetch) beside
  the same fetch anonymous. Later fetches reuse the token, so only the first pays.
Medians of 30 rounds each; lower is better.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable

import aiohttp
from pydantic import SecretStr

from bench.harness import BenchRow
from pq_tradingview import TradingViewClient, TradingViewSettings
from pq_tradingview.connection import TradingViewConnection
from pq_tradingview.signin import sign_in
from pq_tvsim import Simulator, SimulatorConfig

ROUNDS = 30


async def _median_ms(fn: Callable[[], Awaitable[object]]) -> float:
    await fn()  # warm-up
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


async def run() -> list[BenchRow]:
    async with Simulator(SimulatorConfig(port=0)) as sim, aiohttp.ClientSession() as http:

        async def connect() -> None:
            conn = await TradingViewConnection.open(http, sim.url, origin="bench", timeout_s=10)
            while conn.hello is None:
                await conn.receive(10)
            await conn.close()

        async def signin() -> None:
            await sign_in(http, sim.http_url, "demo", SecretStr("demo"), timeout_s=10)

        def fetch(**signed_in: object) -> Callable[[], Awaitable[object]]:
            settings = TradingViewSettings.model_validate({"url": sim.url, **signed_in})

            async def first_fetch() -> None:
                async with TradingViewClient(settings) as client:
                    await client.fetch_history("BINANCE:BTCUSDT", "1h", bars=10)

            return first_fetch

        connect_ms = await _median_ms(connect)
        signin_ms = await _median_ms(signin)
        anonymous_ms = await _median_ms(fetch())
        signed_ms = await _median_ms(fetch(username="demo", password="demo"))
    return [
        BenchRow(
            "TradingView sign-in round trip",
            signin_ms,
            "ms",
            "anonymous connect (upgrade + hello)",
            connect_ms,
            higher_is_better=False,
        ),
        BenchRow(
            "first 10-bar fetch, signed in",
            signed_ms,
            "ms",
            "the same fetch, anonymous",
            anonymous_ms,
            higher_is_better=False,
        ),
    ]
