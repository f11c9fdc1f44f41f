"""What signing in to TradingView costs, against the simulator in this process.

- the sign-in round trip (`POST /accounts/signin/`) beside an anonymous connect (WebSocket
  upgrade plus the server's hello), the work every connection does anyway;
- a fresh client's first 10-bar history fetch signed in (sign-in + connect + fetch) beside
  the same fetch anonymous. Later fetches reuse the token, so only the first pays.
Medians of 30 alternating rounds each; lower is better.
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


async def _medians_ms(
    fn: Callable[[], Awaitable[object]], baseline: Callable[[], Awaitable[object]]
) -> tuple[float, float]:
    """Medians of `fn` and `baseline`, run alternately so a busy spell hits both alike."""
    await fn()  # warm-up
    await baseline()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(ROUNDS):
        for which, call in enumerate((fn, baseline)):
            started = time.perf_counter()
            await call()
            samples[which].append((time.perf_counter() - started) * 1000)
    return statistics.median(samples[0]), statistics.median(samples[1])


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

        signin_ms, connect_ms = await _medians_ms(signin, connect)
        signed_ms, anonymous_ms = await _medians_ms(
            fetch(username="demo", password="demo"), fetch()
        )
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
