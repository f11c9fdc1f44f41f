"""A big history request does not stall the simulator's live quotes (issue 6).

A cold 5,000-bar 1D round generates every minute of ~13 years per symbol. Generated on
the event loop, it froze every quote session for the whole request and then burst the
held-back ticks, which overflowed the quote client's backlog. Now the rounds are made on a
worker thread: quotes keep arriving at the stream's pace while history is being served,
and a round that waited for the worker still never passes the forming bar off as complete.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from pq_tradingview import QuoteStreamOptions, TradingViewClient, TradingViewSettings
from pq_tvsim import Simulator, SimulatorConfig
from pq_tvsim.resolution import Resolution
from tests.support.waiting import wait_for

START_MS = int(datetime(2025, 3, 5, 15, 0, tzinfo=UTC).timestamp() * 1000)
DAY_MS = 86_400_000
STREAM_INTERVAL_S = 0.1
MAX_GAP_S = 1.0  # ten stream intervals; the old loop-blocking server stalled for the request
# 24x7: the most minutes per day; four, so the request lasts well past MAX_GAP_S on a quiet
# machine too (two took 1.8 s once the simulator got faster).
HISTORY_SYMBOLS = ("BINANCE:BTCUSDT", "BINANCE:ETHUSDT", "BINANCE:XRPUSDT", "BINANCE:PEPEUSDT")
QUOTED_SYMBOLS = ("BINANCE:SOLUSDT", "FX:EURUSD")


@pytest.fixture
async def simulator(request: pytest.FixtureRequest) -> AsyncIterator[Simulator]:
    """At 30x from 15:00, or from `start_ms` given by `indirect` parametrisation."""
    start_ms = getattr(request, "param", START_MS)
    config = SimulatorConfig(
        port=0, seed=5, start_ms=start_ms, speed=30, stream_interval_s=STREAM_INTERVAL_S
    )
    async with Simulator(config) as sim:
        yield sim


@contextlib.asynccontextmanager
async def quote_arrivals(client: TradingViewClient) -> AsyncIterator[list[float]]:
    """Monotonic arrival time of every quote of QUOTED_SYMBOLS, drained as they come."""
    arrivals: list[float] = []

    async def drain() -> None:
        async for _ in stream:
            arrivals.append(time.monotonic())

    async with client.quote_stream(QuoteStreamOptions(silence_timeout_s=5.0)) as stream:
        await stream.subscribe(*QUOTED_SYMBOLS)
        task = asyncio.create_task(drain())
        try:
            yield arrivals
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def largest_gap(arrivals: list[float], began: float, ended: float) -> float:
    """The longest stretch of [began, ended] without a quote."""
    inside = [t for t in arrivals if began <= t <= ended]
    points = [began, *inside, ended]
    return max(b - a for a, b in itertools.pairwise(points))


async def test_quotes_keep_flowing_while_a_big_history_request_is_served(
    simulator: Simulator,
) -> None:
    settings = TradingViewSettings.model_validate({"url": simulator.url, "request_timeout_s": 60})
    async with TradingViewClient(settings) as client, quote_arrivals(client) as arrivals:
        await wait_for(  # the session streams before the history request starts
            lambda: _at_least(arrivals, 5), timeout=10, what="the first quotes"
        )
        began = time.monotonic()
        # A start_ms range on 1d asks for a full 5,000-bar round: ~13 cold years each.
        results = await asyncio.gather(
            *(
                client.fetch_history(s, "1d", start_ms=START_MS - 2 * DAY_MS)
                for s in HISTORY_SYMBOLS
            )
        )
        ended = time.monotonic()

    assert all(r.bars for r in results), "the history request returned no bars"
    # Without this the request was too quick to tell a stalled server from a live one.
    assert ended - began > 2 * MAX_GAP_S, f"history took only {ended - began:.2f}s"
    gap = largest_gap(arrivals, began, ended)
    assert gap < MAX_GAP_S, f"no quote for {gap:.2f}s during a {ended - began:.2f}s history request"


@pytest.mark.parametrize("simulator", [START_MS + 45_000], indirect=True)  # 15:00:45
async def test_a_round_that_waited_for_the_worker_passes_no_forming_bar_as_complete(
    simulator: Simulator,
) -> None:
    """The client tells the forming bar by the packets' event time: a round stamped later
    than the time its bars were cut at would hand a partial bar over as a complete one.
    Asked late in a minute, behind seconds of other rounds (a minute or more of market at
    30x), the 1m round runs after its forming minute ended."""
    settings = TradingViewSettings.model_validate({"url": simulator.url, "request_timeout_s": 60})
    async with TradingViewClient(settings) as client:
        big = asyncio.gather(
            *(
                client.fetch_history(s, "1d", start_ms=START_MS - 2 * DAY_MS)
                for s in HISTORY_SYMBOLS
            )
        )
        await wait_for(
            lambda: _at_least_one(simulator.world.history.pending), timeout=10, what="busy"
        )
        small = await client.fetch_history(QUOTED_SYMBOLS[0], "1m", bars=5)
        await big
    market = simulator.world.market(QUOTED_SYMBOLS[0])
    final = market.bars_before(Resolution.parse("1"), simulator.world.clock.now_ms(), 500)
    by_t = {row[0]: row for row in final.rows()}
    got = [(b.t, b.o, b.h, b.l, b.c, b.v) for b in small.bars]
    assert len(got) == 5
    assert got == [by_t[t] for t, *_ in got], "a bar still forming was returned as complete"


async def _at_least(arrivals: list[float], count: int) -> bool:
    return len(arrivals) >= count


async def _at_least_one(pending: int) -> bool:
    return pending >= 1
