"""GET /v1/stream/events: only the requested symbols, Last-Event-ID replay of bars, and
the payloads' times as in REST bodies (or, on request, as published)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from nats.aio.client import Client

from pq_domain import Bar, Interval, Symbol
from pq_domain.events import BarCompleted, QuoteReceived
from pq_domain.subjects import (
    STREAM_BARS,
    bars_completed_subject,
    live_bars_subject,
    quotes_subject,
)
from pq_runtime.envelope import Envelope
from tests.integration.gateway.sse_client import ReceivedEvent, sse_events
from tests.support.waiting import wait_for

AAPL = Symbol("NASDAQ", "AAPL")
BRK = Symbol("NYSE", "BRK.B")
MSFT = Symbol("NASDAQ", "MSFT")
HOUR_MS = 3_600_000


def quote(symbol: Symbol, price: float, ts: int = 1_714_570_200_000) -> Envelope:
    event = QuoteReceived(symbol=symbol, price=price, volume=100.0, ts=ts)
    return Envelope.of(event, quotes_subject(symbol))


def completed(symbol: Symbol, t: int) -> Envelope:
    bar = Bar(t=t, o=1.0, h=2.0, l=0.5, c=1.5, v=10.0)
    event = BarCompleted(symbol=symbol, interval=Interval.H1, bar=bar, ticks=3)
    return Envelope.of(event, bars_completed_subject(symbol, Interval.H1))


async def publish_core(nc: Client, envelope: Envelope) -> None:
    await nc.publish(envelope.subject, envelope.payload, headers=envelope.headers())


async def publish_stored(nc: Client, envelope: Envelope) -> int:
    ack = await nc.jetstream().publish(
        envelope.subject, envelope.payload, headers=envelope.headers()
    )
    return ack.seq


def hours(n: int) -> str:
    """`n` hours after the epoch, as REST bodies write it."""
    return f"1970-01-{1 + n // 24:02d}T{n % 24:02d}:00:00Z"


@asynccontextmanager
async def event_stream(
    url: str, symbols: str, last_event_id: str | None = None, time_format: str | None = None
) -> AsyncIterator[AsyncIterator[ReceivedEvent]]:
    """An open SSE stream, yielded once the gateway confirms its subscriptions."""
    headers = {"Last-Event-ID": last_event_id} if last_event_id else {}
    params = {"symbols": symbols} | ({"time_format": time_format} if time_format else {})
    async with (
        httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(10.0)) as http,
        http.stream("GET", "/v1/stream/events", params=params, headers=headers) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = sse_events(response)
        async with asyncio.timeout(10):
            async for first in events:
                if first.comment == "subscribed":
                    break
        yield events


async def collect_until(
    events: AsyncIterator[ReceivedEvent], done: str, *, also: str | None = None
) -> list[ReceivedEvent]:
    """Events up to and including the first whose data contains `done` (and, with `also`,
    until an event of that kind came too: a stored event comes through its own JetStream
    consumer, in no fixed order with core messages)."""
    seen: list[ReceivedEvent] = []
    found = False
    async with asyncio.timeout(10):
        async for event in events:
            seen.append(event)
            found = found or done in event.data
            if found and (also is None or any(e.event == also for e in seen)):
                return seen
    raise AssertionError(f"stream ended before {done!r}: {seen}")


async def test_only_the_requested_symbols_are_streamed(gateway_url: str, nc: Client) -> None:
    async with event_stream(gateway_url, "NASDAQ:AAPL, nyse:brk.b") as events:
        await publish_core(nc, quote(MSFT, 999.0))
        await publish_core(nc, quote(AAPL, 101.0))
        await publish_core(nc, quote(BRK, 202.0))
        live = BarCompleted(AAPL, Interval.M5, Bar(0, 1.0, 1.0, 1.0, 1.0, 1.0), 1)
        await nc.publish(live_bars_subject(AAPL, Interval.M5), Envelope.of(live, "x").payload)
        seq = await publish_stored(nc, completed(AAPL, 10 * HOUR_MS))
        await publish_core(nc, quote(AAPL, 103.5))  # the last one: everything before arrived
        seen = await collect_until(events, "103.5", also="bar.completed")
        heartbeat = await collect_until_comment(events, "heartbeat")

    kinds = [(e.event, json.loads(e.data)["symbol"]) for e in seen if e.event]
    assert ("quote", "NASDAQ:MSFT") not in kinds
    assert ("quote", "NASDAQ:AAPL") in kinds
    assert ("quote", "NYSE:BRK.B") in kinds
    assert ("bar.provisional", "NASDAQ:AAPL") in kinds
    [bar] = [e for e in seen if e.event == "bar.completed"]
    assert bar.id == str(seq)
    assert json.loads(bar.data)["t"] == hours(10)
    assert heartbeat.comment == "heartbeat"


async def collect_until_comment(events: AsyncIterator[ReceivedEvent], text: str) -> ReceivedEvent:
    async with asyncio.timeout(10):
        async for event in events:
            if event.comment == text:
                return event
    raise AssertionError(f"no {text!r} comment")


async def test_last_event_id_replays_missed_completed_bars(gateway_url: str, nc: Client) -> None:
    async with event_stream(gateway_url, "NASDAQ:AAPL") as events:
        first_seq = await publish_stored(nc, completed(AAPL, 1 * HOUR_MS))
        [first] = [e for e in await collect_until(events, hours(1)) if e.id]
    assert first.id == str(first_seq)

    # While the client is away: two bars of its symbol and one of another symbol.
    missed = [await publish_stored(nc, completed(AAPL, t * HOUR_MS)) for t in (2, 3)]
    await publish_stored(nc, completed(MSFT, 2 * HOUR_MS))

    async with event_stream(gateway_url, "NASDAQ:AAPL", last_event_id=first.id) as events:
        replayed = [e for e in await collect_until(events, hours(3)) if e.id]
        live_seq = await publish_stored(nc, completed(AAPL, 4 * HOUR_MS))
        [live] = [e for e in await collect_until(events, hours(4)) if e.id]

    assert [e.id for e in replayed] == [str(s) for s in missed]
    assert all(json.loads(e.data)["symbol"] == "NASDAQ:AAPL" for e in replayed)
    assert live.id == str(live_seq)


async def test_times_read_as_in_rest_bodies_unless_epoch_ms_is_asked(
    gateway_url: str, nc: Client
) -> None:
    quote_ts = 1_714_570_200_123  # with milliseconds: `.123Z`
    published_quote = quote(AAPL, 101.25, ts=quote_ts)
    published_bar = completed(AAPL, 5 * HOUR_MS)
    async with (
        event_stream(gateway_url, "NASDAQ:AAPL") as rest_like,
        event_stream(gateway_url, "NASDAQ:AAPL", time_format="epoch_ms") as as_published,
    ):
        await publish_stored(nc, published_bar)
        await publish_core(nc, published_quote)
        # The stored bar and the core quote take different paths: wait for both.
        rest_events = await collect_until(rest_like, "101.25", also="bar.completed")
        raw_events = await collect_until(as_published, "101.25", also="bar.completed")

    def data(events: list[ReceivedEvent], kind: str) -> str:
        [event] = [e for e in events if e.event == kind]
        return event.data

    assert data(raw_events, "quote").encode() == published_quote.payload
    assert data(raw_events, "bar.completed").encode() == published_bar.payload
    rest_quote = json.loads(data(rest_events, "quote"))
    assert rest_quote == json.loads(published_quote.payload) | {"ts": "2024-05-01T13:30:00.123Z"}
    assert list(rest_quote) == list(json.loads(published_quote.payload))  # same key order
    rest_bar = json.loads(data(rest_events, "bar.completed"))
    assert rest_bar == json.loads(published_bar.payload) | {"t": hours(5)}


async def test_an_unknown_time_format_is_422(gateway_url: str) -> None:
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        response = await http.get(
            "/v1/stream/events", params={"symbols": "NASDAQ:AAPL", "time_format": "iso"}
        )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["query.time_format"]


async def test_a_closed_stream_releases_its_consumer(gateway_url: str, nc: Client) -> None:
    js = nc.jetstream()
    async with event_stream(gateway_url, "NASDAQ:AAPL"):
        assert (await js.stream_info(STREAM_BARS.name)).state.consumer_count == 1

    async def consumer_gone() -> bool:
        return (await js.stream_info(STREAM_BARS.name)).state.consumer_count == 0

    await wait_for(consumer_gone, timeout=10, what="the SSE consumer to be deleted")
