"""Watchlist in PQ_WATCHLIST -> QuoteReceived on PQ_QUOTES, for exactly those symbols."""

from __future__ import annotations

from typing import Any

from nats.js import JetStreamContext
from nats.js.kv import KeyValue

from pq_domain import Symbol
from pq_domain.buckets import STREAM_STATUS
from pq_domain.events import QuoteReceived
from pq_domain.subjects import quotes_subject
from pq_ingest_stream.adapters.quote_publisher import QuotePublisher
from pq_ingest_stream.adapters.session_context import SessionContext
from pq_ingest_stream.metrics import StreamMetrics
from pq_tvsim import Simulator
from tests.support.waiting import wait_for

from .conftest import ShardSettings, shard
from .probes import Watchlist, kv_values, last_seq, stored

WATCHED = ("NASDAQ:AAPL", "NYSE:BRK.B", "BINANCE:BTCUSDT")
NOT_WATCHED = "NASDAQ:MSFT"


async def test_watched_symbols_flow_with_contract_headers_and_a_status_entry(
    js: JetStreamContext, watchlist: Watchlist, shard_settings: ShardSettings
) -> None:
    await watchlist.add(*WATCHED)
    async with shard(shard_settings.make(shard_id="solo")):

        async def all_flowing() -> bool:
            return all([await last_seq(js, s) > 0 for s in WATCHED])

        await wait_for(all_flowing, timeout=15, what="quotes of every watched symbol")
        status_kv = await js.key_value(STREAM_STATUS)
        status = await wait_for(
            lambda: _status_with(status_kv, "solo", len(WATCHED)), timeout=5, what="status entry"
        )

    messages = await stored(js, "PQ_QUOTES")
    assert {m.data["symbol"] for m in messages} == set(WATCHED)
    assert await last_seq(js, NOT_WATCHED) == 0
    for m in messages:
        event = QuoteReceived.from_payload(m.data)
        assert m.subject == quotes_subject(event.symbol)
        assert m.headers["Nats-Msg-Id"] == event.event_id
        assert m.headers["Pq-Event-Type"] == "QuoteReceived"
        assert m.headers["Pq-Schema-Version"] == "1"
        assert m.headers["X-Correlation-ID"].startswith("solo:")
        assert m.headers["traceparent"].startswith("00-")
    assert len({m.headers["Nats-Msg-Id"] for m in messages}) == len(messages)

    assert set(status) == {
        "shard",
        "connected",
        "symbols",
        "last_quote_at",
        "reconnects",
        "updated_at",
        "error",
    }
    assert status["shard"] == "solo"
    assert status["error"] is None
    assert status["connected"] is True
    assert sorted(status["symbols"]) == sorted(WATCHED)
    assert isinstance(status["last_quote_at"], int)
    assert status["reconnects"] == 0
    assert isinstance(status["updated_at"], int)


async def _status_with(kv: KeyValue, shard_id: str, symbols: int) -> dict[str, Any] | None:
    entry = (await kv_values(kv)).get(shard_id)
    if entry and len(entry["symbols"]) == symbols and entry["last_quote_at"] is not None:
        return entry
    return None


async def test_removing_a_symbol_stops_its_quotes_without_reconnecting(
    js: JetStreamContext,
    watchlist: Watchlist,
    shard_settings: ShardSettings,
    simulator: Simulator,
) -> None:
    await watchlist.add("NASDAQ:AAPL", "NASDAQ:MSFT")
    async with shard(shard_settings.make(shard_id="solo")) as service:

        async def both_flowing() -> bool:
            return await last_seq(js, "NASDAQ:AAPL") > 0 and await last_seq(js, "NASDAQ:MSFT") > 0

        await wait_for(both_flowing, timeout=15, what="quotes of both symbols")
        await watchlist.remove("NASDAQ:MSFT")
        await wait_for(
            lambda: _async(service.keeper.owned == {Symbol.parse("NASDAQ:AAPL")}),
            what="MSFT released",
        )
        await service.publisher.flush()
        msft_last = await last_seq(js, "NASDAQ:MSFT")
        aapl_after = await last_seq(js, "NASDAQ:AAPL")

        async def aapl_moved_on() -> bool:
            return await last_seq(js, "NASDAQ:AAPL") > aapl_after + 20

        await wait_for(aapl_moved_on, timeout=15, what="20 more AAPL quotes")
        assert await last_seq(js, "NASDAQ:MSFT") == msft_last
        assert service.stream.status().reconnects == 0
        assert simulator.connections_accepted == 1


async def _async(value: bool) -> bool:
    return value


async def test_a_republished_quote_is_dropped_by_the_stream(
    js: JetStreamContext, watchlist: Watchlist, shard_settings: ShardSettings
) -> None:
    await watchlist.add("BINANCE:ETHUSDT")
    async with shard(shard_settings.make(shard_id="solo")):
        await wait_for(lambda: _more_than(js, "BINANCE:ETHUSDT", 5), timeout=15, what="ETH quotes")
    before = (await js.stream_info("PQ_QUOTES")).state.messages
    quotes = [QuoteReceived.from_payload(m.data) for m in await stored(js, "PQ_QUOTES")]

    metrics = StreamMetrics()
    publisher = QuotePublisher(js, SessionContext("replay"), metrics, batch_size=100)
    for quote in quotes:
        await publisher.publish(quote)
    await publisher.flush()

    assert (await js.stream_info("PQ_QUOTES")).state.messages == before
    assert metrics.quotes_duplicate._value.get() == len(quotes)
    assert metrics.quotes_published._value.get() == 0


async def _more_than(js: JetStreamContext, symbol: str, count: int) -> bool:
    return await last_seq(js, symbol) > count
