"""Quotes and the live stream: typed events, and a dropped connection resumed with
Last-Event-ID so that no completed bar is missed or repeated."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

import pocketquant
from tests.e2e.sdk.cut_proxy import CutProxy
from tests.support.pq_rest import bar_row, epoch_ms
from tests.support.stack_runner import E2eStack
from tests.support.waiting import wait_until

SYMBOL = "BINANCE:BTCUSDT"  # trades around the clock in the simulator


@pytest.fixture(scope="module")
def watched(sdk_stack: E2eStack) -> str:
    with pocketquant.Client(sdk_stack.gateway_url, sdk_stack.api_key) as client:
        client.watch(SYMBOL)

        def quoted() -> bool:
            try:
                client.quote(SYMBOL)
            except pocketquant.NotFound:
                return False
            return True

        wait_until(quoted, timeout=180, interval=0.5, what=f"a first quote of {SYMBOL}")
    return SYMBOL


def test_the_latest_quote_and_the_watchlist(client: pocketquant.Client, watched: str) -> None:
    quote = client.quote(watched)
    assert quote.symbol == watched
    assert quote.price > 0
    assert quote.ts.utcoffset() is not None
    assert watched in [entry.symbol for entry in client.watchlist()]


def collect_across_a_cut(
    client: pocketquant.Client, proxy: CutProxy, before: int, after: int
) -> tuple[list[pocketquant.BarEvent], str, int]:
    """Completed bars: `before` of them, then the connection is cut, then `after` more.
    Also the id seen last before the cut, and how many quotes came."""
    completed: list[pocketquant.BarEvent] = []
    quotes = 0
    cut_after: str | None = None
    deadline = time.monotonic() + 180
    for event in client.stream([SYMBOL]):
        assert time.monotonic() < deadline, f"stream too slow: {len(completed)} bars"
        if isinstance(event, pocketquant.QuoteEvent):
            assert event.symbol == SYMBOL
            quotes += 1
        elif isinstance(event, pocketquant.BarEvent) and not event.provisional:
            completed.append(event)
            if cut_after is None and len(completed) == before:
                cut_after = event.id
                proxy.cut()
            elif len(completed) == before + after:
                break
    assert cut_after is not None
    return completed, cut_after, quotes


@pytest.mark.timeout(400)
def test_a_dropped_stream_resumes_after_the_last_completed_bar(
    sdk_stack: E2eStack, watched: str, gateway_http: httpx.Client
) -> None:
    with (
        CutProxy(sdk_stack.ports["gateway"]) as proxy,
        pocketquant.Client(proxy.url, sdk_stack.api_key) as client,
    ):
        completed, cut_after, quotes = collect_across_a_cut(client, proxy, before=5, after=15)

    assert quotes > 0
    heads = [h.decode("latin-1").lower() for h in proxy.request_heads if b"/v1/stream" in h]
    assert len(heads) >= 2, "no reconnect"
    ids = [int(bar.id or 0) for bar in completed]
    # The reconnect resumes after the last completed bar the client had read: the one at the
    # cut, or a later one that was already on its way when the proxy cut the connection.
    resumed = [line for line in heads[1].split("\r\n") if line.startswith("last-event-id: ")]
    assert resumed, f"the reconnect carried no Last-Event-ID: {heads[1]!r}"
    resumed_after = int(resumed[0].removeprefix("last-event-id: "))
    assert resumed_after >= int(cut_after or 0)
    assert resumed_after in ids
    assert ids == sorted(set(ids)), f"completed bars repeated or out of order: {ids}"

    # Nothing missed: the stream's 1m bars are every 1m bar the read model holds meanwhile.
    minutes = [bar for bar in completed if bar.interval == "1m"]
    first, last = minutes[0].time, minutes[-1].time
    params: dict[str, str | int] = {
        "symbol": watched,
        "interval": "1m",
        "start": first.isoformat(),
        "limit": 10_000,
    }

    def stored() -> list[int] | None:
        bars = gateway_http.get("/v1/bars", params=params).json()["bars"]
        times = [bar_row(bar)[0] for bar in bars]
        return times if times and times[-1] >= epoch_ms(last.isoformat()) else None

    in_model = wait_until(stored, timeout=60, interval=0.5, what="the read model to catch up")
    upto = epoch_ms(last.isoformat())
    streamed = sorted({epoch_ms(bar.time.isoformat()) for bar in minutes})
    assert streamed == [t for t in in_model if t <= upto]


async def test_the_async_stream_yields_typed_quotes(sdk_stack: E2eStack, watched: str) -> None:
    quotes: list[pocketquant.QuoteEvent] = []
    async with pocketquant.AsyncClient(sdk_stack.gateway_url, sdk_stack.api_key) as client:
        async with asyncio.timeout(120):
            async for event in client.stream(watched):
                if isinstance(event, pocketquant.QuoteEvent):
                    quotes.append(event)
                if len(quotes) == 5:
                    break
    assert {event.quote.symbol for event in quotes} == {watched}
    assert all(event.quote.price > 0 for event in quotes)
