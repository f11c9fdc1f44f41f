"""Live quotes against the simulator: drops, resubscription, add/remove, silence, errors."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import pytest

from pq_domain import Quote, Symbol
from pq_tradingview import (
    ProtocolRejected,
    QuoteStream,
    QuoteStreamOptions,
    StreamEvent,
    SymbolRejected,
    TradingViewClient,
)
from pq_tvsim import Simulator, SymbolSpec
from tests.support.waiting import wait_for

from .conftest import client_settings, simulator_config

OPTIONS = QuoteStreamOptions(silence_timeout_s=2.0, backoff_initial_s=0.1, backoff_max_s=0.5)


class Collector:
    """Drains a stream in the background and remembers what arrived."""

    def __init__(self, stream: QuoteStream) -> None:
        self.stream = stream
        self.events: list[StreamEvent] = []
        self.error: BaseException | None = None
        self._task = asyncio.create_task(self._drain())

    async def _drain(self) -> None:
        try:
            async for event in self.stream:
                self.events.append(event)
        except Exception as exc:  # the test asserts on it
            self.error = exc

    def quotes_of(self, symbol: str) -> list[Quote]:
        wanted = Symbol.parse(symbol)
        return [e for e in self.events if isinstance(e, Quote) and e.symbol == wanted]

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


@contextlib.asynccontextmanager
async def streaming(
    simulator: Simulator, options: QuoteStreamOptions = OPTIONS, **settings: object
) -> AsyncIterator[Collector]:
    async with (
        TradingViewClient(client_settings(simulator, **settings)) as client,
        client.quote_stream(options) as stream,
    ):
        collector = Collector(stream)
        try:
            yield collector
        finally:
            await collector.stop()


def _extra_symbols(count: int) -> dict[str, SymbolSpec]:
    specs = [
        SymbolSpec(
            symbol=f"BINANCE:SIM{i:02d}USDT",
            description=f"Simulated coin {i}",
            type="crypto",
            currency="USDT",
            timezone="Etc/UTC",
            session="24x7",
            pricescale=100,
            start_price=10.0 + i,
            volatility=0.8,
            day_volume=1e6,
            tick_rate=8,
        )
        for i in range(count)
    ]
    return {spec.symbol: spec for spec in specs}


@pytest.fixture
async def busy_simulator() -> AsyncIterator[Simulator]:
    """The shipped universe (minus KRX and NSE, closed at the start time) plus synthetic
    coins: 50."""
    config = simulator_config(speed=10, stream_interval_s=0.2)
    closed = ("KRX:", "NSE:")
    config.universe = {k: v for k, v in config.universe.items() if not k.startswith(closed)}
    config.universe |= _extra_symbols(50 - len(config.universe))
    assert len(config.universe) == 50
    async with Simulator(config) as sim:
        yield sim


async def _all_quoted_since(stream: QuoteStream, symbols: list[str], since: float) -> bool:
    statuses = stream.status().symbols
    return all((statuses[s].last_received_at or 0) > since for s in symbols)


async def test_fifty_symbols_stay_subscribed_through_repeated_drops(
    busy_simulator: Simulator,
) -> None:
    symbols = sorted(busy_simulator.config.universe)
    async with streaming(busy_simulator) as collector:
        stream = collector.stream
        await stream.subscribe(*symbols)
        await wait_for(
            lambda: _all_quoted_since(stream, symbols, 0), timeout=15, what="first quotes"
        )
        busy_simulator.world.faults.drop_every_s = 2.5
        for drop in range(1, 4):

            async def reconnected(n: int = drop) -> bool:
                return stream.status().reconnects >= n

            await wait_for(reconnected, timeout=10, what=f"reconnect {drop}")
            since = time.time()
            await wait_for(
                lambda s=since: _all_quoted_since(stream, symbols, s),  # type: ignore[misc]
                timeout=10,
                what=f"quotes of all 50 symbols after drop {drop}",
            )
        assert stream.watchlist == {Symbol.parse(s) for s in symbols}
        assert busy_simulator.connections_accepted >= 4
        assert collector.error is None


async def test_symbols_can_be_added_and_removed_while_streaming(simulator: Simulator) -> None:
    async with streaming(simulator) as collector:
        stream = collector.stream
        await stream.subscribe("BINANCE:BTCUSDT", "BINANCE:ETHUSDT")

        async def both_quoted() -> bool:
            return bool(
                collector.quotes_of("BINANCE:BTCUSDT") and collector.quotes_of("BINANCE:ETHUSDT")
            )

        await wait_for(both_quoted, what="quotes of both")
        await stream.unsubscribe("BINANCE:ETHUSDT")
        removed_at = len(collector.events)
        await stream.subscribe("FX:EURUSD")

        async def new_symbol_and_more_btc() -> bool:
            later = collector.events[removed_at:]
            btc = [e for e in later if isinstance(e, Quote) and e.symbol.code == "BTCUSDT"]
            return bool(collector.quotes_of("FX:EURUSD")) and len(btc) >= 10

        await wait_for(new_symbol_and_more_btc, what="EURUSD quotes and more BTC quotes")
        later = collector.events[removed_at:]
        assert not [e for e in later if isinstance(e, Quote) and e.symbol.code == "ETHUSDT"]
        assert stream.status().reconnects == 0
        assert set(stream.status().symbols) == {"BINANCE:BTCUSDT", "FX:EURUSD"}


async def test_quotes_carry_cumulative_volume_and_delay(simulator: Simulator) -> None:
    async with streaming(simulator) as collector:
        await collector.stream.subscribe("CME_MINI:ES1!", "SP:SPX")

        async def enough() -> bool:
            return len(collector.quotes_of("CME_MINI:ES1!")) >= 5 and bool(
                collector.quotes_of("SP:SPX")
            )

        await wait_for(enough, what="futures and index quotes")
        futures = collector.quotes_of("CME_MINI:ES1!")
        assert all(q.delayed for q in futures)
        volumes = [q.volume for q in futures]
        assert volumes == sorted(volumes)
        assert volumes[-1] > volumes[0]
        assert [q.ts for q in futures] == sorted(q.ts for q in futures)
        assert all(q.volume == 0 and not q.delayed for q in collector.quotes_of("SP:SPX"))


async def test_a_bad_symbol_is_reported_without_disturbing_the_others(
    simulator: Simulator,
) -> None:
    async with streaming(simulator) as collector:
        await collector.stream.subscribe("NASDAQ:NOPE", "NASDAQ:AAPL")

        async def rejected_and_quoted() -> bool:
            rejected = [e for e in collector.events if isinstance(e, SymbolRejected)]
            return bool(rejected) and len(collector.quotes_of("NASDAQ:AAPL")) >= 3

        await wait_for(rejected_and_quoted, what="a rejection and AAPL quotes")
        assert collector.stream.status().symbols["NASDAQ:NOPE"].error == "no_such_symbol"


async def test_a_silent_server_is_detected_and_the_stream_resumes(simulator: Simulator) -> None:
    options = QuoteStreamOptions(silence_timeout_s=1.0, backoff_initial_s=0.1, backoff_max_s=0.3)
    async with streaming(simulator, options) as collector:
        stream = collector.stream
        await stream.subscribe("BINANCE:BTCUSDT")
        await wait_for(lambda: _all_quoted_since(stream, ["BINANCE:BTCUSDT"], 0), what="quotes")
        simulator.world.faults.silence = True

        async def went_silent() -> bool:
            return stream.status().silent_disconnects >= 1

        await wait_for(went_silent, timeout=5, what="silence detected")
        simulator.world.faults.silence = False
        resumed_after = time.time()
        await wait_for(
            lambda: _all_quoted_since(stream, ["BINANCE:BTCUSDT"], resumed_after),
            timeout=5,
            what="quotes after the silence",
        )


async def test_malformed_frames_do_not_break_the_stream(simulator: Simulator) -> None:
    simulator.world.faults.malformed_rate = 0.3
    async with streaming(simulator) as collector:
        await collector.stream.subscribe("BINANCE:ETHUSDT")

        async def streamed_through_garbage() -> bool:
            status = collector.stream.status()
            return (
                status.malformed_messages >= 3 and len(collector.quotes_of("BINANCE:ETHUSDT")) >= 20
            )

        await wait_for(streamed_through_garbage, what="quotes despite garbage")
        assert collector.stream.status().reconnects == 0


async def test_a_bad_token_ends_the_stream_with_protocol_rejected(simulator: Simulator) -> None:
    async with streaming(simulator, token="forged") as collector:
        await collector.stream.subscribe("BINANCE:BTCUSDT")

        async def failed() -> bool:
            return collector.error is not None

        await wait_for(failed, what="the stream to fail")
        assert isinstance(collector.error, ProtocolRejected)
