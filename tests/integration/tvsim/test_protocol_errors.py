"""The simulator's errors and ranges as the real server has them (protocol notes §4), and the
client's handling of a session's critical_error."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import aiohttp
import pytest

from pq_tradingview import (
    CriticalError,
    QuoteStream,
    QuoteStreamOptions,
    TradingViewClient,
    TradingViewSettings,
)
from pq_tvsim import Simulator, SimulatorConfig
from tests.support.waiting import wait_for

from .wire import Wire

START_MS = int(datetime(2025, 3, 5, 15, 0, tzinfo=UTC).timestamp() * 1000)  # a Wednesday
CS = "cs_errortest0001"
HOUR_S = 3600


@pytest.fixture
async def simulator() -> AsyncIterator[Simulator]:
    config = SimulatorConfig(port=0, seed=3, start_ms=START_MS, heartbeat_interval_s=0.5)
    async with Simulator(config) as sim:
        yield sim


@pytest.fixture
async def wire(simulator: Simulator) -> AsyncIterator[Wire]:
    async with aiohttp.ClientSession() as http, http.ws_connect(simulator.url) as ws:
        wire = Wire(ws)
        assert "session_id" in await wire.next()  # the hello
        await wire.send("set_auth_token", "unauthorized_user_token")
        await wire.send("chart_create_session", CS, "")
        await wire.send("resolve_symbol", CS, "sym", '={"symbol":"BINANCE:BTCUSDT"}')
        await wire.until("symbol_resolved")
        yield wire


async def test_a_malformed_resolution_is_a_critical_error_and_the_connection_stays(
    wire: Wire,
) -> None:
    await wire.send("create_series", CS, "s1", "s1", "sym", "XX", 10, "")
    error = await wire.until("critical_error", "series_error", "timescale_update")
    assert error["m"] == "critical_error"
    assert error["p"] == [
        CS,
        "invalid parameters",
        'method: create_series. args: "[s1, s1, sym, XX, 10, ]"',
    ]
    # the same connection and session still serve a well-formed request
    await wire.send("create_series", CS, "s2", "s1", "sym", "60", 3, "")
    update = await wire.until("timescale_update")
    assert len(update["p"][1]["s2"]["s"]) == 3


async def test_a_well_spelled_resolution_not_served_is_a_series_error(wire: Wire) -> None:
    await wire.send("create_series", CS, "s1", "s1", "sym", "1S", 10, "")
    error = await wire.until("critical_error", "series_error")
    assert error["m"] == "series_error"
    assert error["p"][:4] == [CS, "s1", "s1", "custom_resolution"]


async def test_an_invalid_timezone_names_the_session_first(wire: Wire) -> None:
    await wire.send("switch_timezone", CS, "Nowhere/Nowhere")
    error = await wire.until("critical_error")
    assert error["p"] == [
        CS,
        "invalid timezone",
        'method: switch_timezone. args: "[Nowhere/Nowhere]"',
    ]


async def test_a_bar_count_range_gives_the_n_bars_up_to_its_time(wire: Wire) -> None:
    to_s = START_MS // 1000 - 10 * 24 * HOUR_S  # ten days back, on an hour
    await wire.send("create_series", CS, "s1", "s1", "sym", "60", ["bar_count", to_s, 5], "")
    update = await wire.until("timescale_update")
    times = [bar["v"][0] for bar in update["p"][1]["s1"]["s"]]
    assert times == [float(to_s - k * HOUR_S) for k in range(4, -1, -1)]
    await wire.until("series_completed")
    await wire.send("request_more_data", CS, "s1", 3)
    older = await wire.until("timescale_update")
    older_times = {bar["v"][0] for bar in older["p"][1]["s1"]["s"]}
    # older bars; the server may repeat a few of the oldest it sent, as the real one does
    assert all(t < times[0] for t in older_times - set(times[:3]))
    assert float(to_s - 7 * HOUR_S) in older_times


async def test_a_malformed_range_is_a_critical_error(wire: Wire) -> None:
    await wire.send("create_series", CS, "s1", "s1", "sym", "60", ["bar_count", "x", 5], "")
    error = await wire.until("critical_error", "timescale_update")
    assert error["m"] == "critical_error"
    assert error["p"][:2] == [CS, "invalid parameters"]


async def test_the_client_fails_the_request_with_its_sessions_critical_error(
    simulator: Simulator,
) -> None:
    simulator.world.faults.critical_error_methods = ["create_series"]
    settings = TradingViewSettings(url=simulator.url, request_timeout_s=10.0)
    async with TradingViewClient(settings) as client:
        with pytest.raises(CriticalError) as failed:
            await client.fetch_history("BINANCE:BTCUSDT", "1h", bars=5)
    message = str(failed.value)
    assert message.startswith("BINANCE:BTCUSDT: critical_error: invalid parameters")
    assert "method: create_series" in message
    assert "cs_" not in message  # the session id is routing, not part of the reason


async def test_a_quote_sessions_critical_error_keeps_the_stream_connected(
    simulator: Simulator,
) -> None:
    settings = TradingViewSettings(url=simulator.url)
    options = QuoteStreamOptions(silence_timeout_s=5.0, backoff_initial_s=0.1)
    async with TradingViewClient(settings) as client, client.quote_stream(options) as stream:
        await stream.subscribe("BINANCE:BTCUSDT")
        await wait_for(_quoted(stream, "BINANCE:BTCUSDT"), what="BTCUSDT quoted")
        simulator.world.faults.critical_error_methods = ["quote_add_symbols"]
        await stream.subscribe("BINANCE:ETHUSDT")

        async def reported() -> bool:
            return "invalid parameters" in (stream.status().last_error or "")

        await wait_for(reported, what="the critical_error in the stream's status")
        before = stream.status().symbols["BINANCE:BTCUSDT"].quotes
        await wait_for(_quoted(stream, "BINANCE:BTCUSDT", more_than=before), what="more BTC")
        status = stream.status()
        assert status.connected
        assert status.reconnects == 0


def _quoted(stream: QuoteStream, symbol: str, more_than: int = 0) -> Callable[[], Awaitable[bool]]:
    async def probe() -> bool:
        while True:  # drain what arrived, so the backlog never fills
            try:
                await asyncio.wait_for(stream.next_event(), 0.01)
            except TimeoutError:
                break
        status = stream.status().symbols.get(symbol)
        return status is not None and status.quotes > more_than

    return probe
