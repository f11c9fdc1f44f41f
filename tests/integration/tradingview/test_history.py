"""History against the simulator: paging, sessions, and every typed error."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pq_domain import grid_starts
from pq_tradingview import (
    CriticalError,
    ProtocolRejected,
    RateLimited,
    RequestTimeout,
    SymbolNotFound,
    TradingViewClient,
)
from pq_tvsim import Simulator
from pq_tvsim.calendar import trading_day_opened_on
from pq_tvsim.resolution import Resolution

from .conftest import client_settings

HOUR_MS = 3_600_000


def _hours_with_trading(simulator: Simulator, symbol: str, first: int, last: int) -> list[int]:
    """Every 1h key in [first, last] of the calendar's trading days: the session grid (the
    session open + whole hours, the last bar of a day cut at the close)."""
    spec = simulator.config.universe[symbol]
    hours: set[int] = set()
    current = spec.history_start
    while True:
        day = trading_day_opened_on(spec, current)
        if day is not None:
            if day.open_ms > last + HOUR_MS:
                break
            hours.update(grid_starts(HOUR_MS, day.session_day))
        current += timedelta(days=1)
    return sorted(h for h in hours if first <= h <= last)


async def test_12000_hourly_bars_arrive_complete_and_in_order(
    simulator: Simulator, tv_client: TradingViewClient
) -> None:
    result = await tv_client.fetch_history("NASDAQ:AAPL", "1h", bars=12_000)

    times = [bar.t for bar in result.bars]
    assert len(times) == 12_000
    assert times == sorted(set(times)), "ascending, no duplicates"
    assert times == _hours_with_trading(simulator, "NASDAQ:AAPL", times[0], times[-1])
    assert result.rounds >= 3  # 5000-bar cap per round
    assert result.forming is not None
    assert result.forming.t > times[-1]
    own = simulator.world.market("NASDAQ:AAPL").bars_before(
        Resolution.parse("60"), simulator.world.clock.now_ms(), 12_000, before_t=result.forming.t
    )
    assert [(b.t, b.o, b.h, b.l, b.c, b.v) for b in result.bars] == own.rows()
    assert result.meta.timezone == "America/New_York"
    assert result.meta.pricescale == 100


async def test_metadata_and_volume_less_index(tv_client: TradingViewClient) -> None:
    result = await tv_client.fetch_history("SP:SPX", "1d", bars=30)
    assert len(result.bars) == 30
    assert all(bar.v == 0.0 for bar in result.bars)
    assert not result.meta.has_volume
    assert result.meta.type == "index"


async def test_non_ascii_descriptions_survive_the_framing(tv_client: TradingViewClient) -> None:
    korean = await tv_client.fetch_history("KRX:005930", "1d", bars=5)
    pepe = await tv_client.fetch_history("BINANCE:PEPEUSDT", "1h", bars=5)
    assert korean.meta.description == "삼성전자"
    assert korean.meta.delayed
    assert pepe.meta.description == "Pepe 🐸 / TetherUS"


async def test_a_start_time_pages_back_far_enough(tv_client: TradingViewClient) -> None:
    latest = await tv_client.fetch_history("BINANCE:BTCUSDT", "4h", bars=1)
    start = latest.bars[-1].t - 8000 * 4 * HOUR_MS
    result = await tv_client.fetch_history("BINANCE:BTCUSDT", "4h", start_ms=start)
    assert result.bars[0].t == start
    assert len(result.bars) == 8001  # 24x7: every 4h bucket has a bar
    assert result.rounds >= 2


async def test_an_unknown_symbol_raises_symbol_not_found(tv_client: TradingViewClient) -> None:
    with pytest.raises(SymbolNotFound, match="NASDAQ:NOPE"):
        await tv_client.fetch_history("NASDAQ:NOPE", "1h", bars=10)


async def test_a_rejected_symbol_raises_symbol_not_found(
    simulator: Simulator, tv_client: TradingViewClient
) -> None:
    simulator.world.faults.reject_symbols = ["NASDAQ:AAPL"]
    with pytest.raises(SymbolNotFound, match="NASDAQ:AAPL"):
        await tv_client.fetch_history("NASDAQ:AAPL", "1h", bars=10)


async def test_a_bad_token_raises_protocol_rejected(simulator: Simulator) -> None:
    settings = client_settings(simulator, token="not-a-token")
    async with TradingViewClient(settings) as client:
        with pytest.raises(ProtocolRejected, match="bad auth token"):
            await client.fetch_history("NASDAQ:AAPL", "1h", bars=10)


async def test_critical_error_is_typed(simulator: Simulator, tv_client: TradingViewClient) -> None:
    simulator.world.faults.critical_error_methods = ["create_series"]
    with pytest.raises(CriticalError, match=r"NYSE:BRK\.B"):
        await tv_client.fetch_history("NYSE:BRK.B", "1h", bars=10)


async def test_429_is_retried_with_backoff(
    simulator: Simulator, tv_client: TradingViewClient
) -> None:
    simulator.world.faults.reject_connections = 2
    result = await tv_client.fetch_history("CME_MINI:ES1!", "15m", bars=100)
    assert len(result.bars) == 100
    assert simulator.world.faults.reject_connections == 0


async def test_429_that_persists_raises_rate_limited(simulator: Simulator) -> None:
    simulator.world.faults.reject_connections = -1
    settings = client_settings(simulator, max_connect_attempts=2)
    async with TradingViewClient(settings) as client:
        with pytest.raises(RateLimited, match="FX:EURUSD"):
            await client.fetch_history("FX:EURUSD", "1h", bars=10)


async def test_a_slow_server_raises_request_timeout(simulator: Simulator) -> None:
    simulator.world.faults.reply_delay_s = 0.6
    settings = client_settings(simulator, request_timeout_s=0.5)
    async with TradingViewClient(settings) as client:
        with pytest.raises(RequestTimeout, match="NASDAQ:MSFT"):
            await client.fetch_history("NASDAQ:MSFT", "1h", bars=10)


async def test_malformed_frames_are_skipped(
    simulator: Simulator, tv_client: TradingViewClient
) -> None:
    simulator.world.faults.malformed_rate = 0.5
    result = await tv_client.fetch_history("NYSE:KO", "5m", bars=7000)
    assert len(result.bars) == 7000
