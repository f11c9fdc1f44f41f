"""Pages through the gateway: revalidated rather than sent again, never older than the
query service's, 304s for clients' own tags, and concurrent identical reads sharing a
fetch that began after them."""

from __future__ import annotations

import asyncio

import httpx
from nats.aio.client import Client
from starlette.types import Receive, Scope, Send

from pq_domain import Bar, Interval
from pq_gateway.main import create_app
from pq_gateway.settings import GatewaySettings
from tests.integration.query.events import (
    T0,
    H,
    hourly_bars,
    publish_live,
    publish_sync,
    unique_symbol,
)
from tests.support.serving import serving
from tests.support.waiting import wait_for


async def test_a_kept_page_is_never_older_than_the_query_services(
    gateway_settings: GatewaySettings, query_service_url: str, nc: Client
) -> None:
    symbol = unique_symbol()
    js = nc.jetstream()
    await publish_sync(js, "job-gw-etag", symbol, Interval.H1, hourly_bars(10))
    settings = gateway_settings.model_copy(update={"query_url": query_service_url})
    path = f"/v1/bars?symbol={symbol}&interval=1h"
    async with (
        serving(create_app(settings)) as url,
        httpx.AsyncClient(base_url=url) as gateway,
        httpx.AsyncClient(base_url=query_service_url) as query,
    ):

        async def bars_in_query(count: int) -> bool:
            return len((await query.get(path)).json()["bars"]) == count

        await wait_for(lambda: bars_in_query(10), timeout=20, what="10 bars projected")
        first = await gateway.get(path)
        assert first.status_code == 200
        etag = first.headers["etag"]
        assert first.headers["cache-control"] == "no-cache"
        assert (await gateway.get(path)).content == first.content  # served from the kept copy

        mine = await gateway.get(path, headers={"If-None-Match": etag})
        assert mine.status_code == 304
        assert mine.content == b""
        assert mine.headers["etag"] == etag

        await publish_live(js, symbol, Interval.H1, Bar(T0 + 10 * H, 5, 6, 4, 5.5, 1))
        await wait_for(lambda: bars_in_query(11), timeout=20, what="the 11th bar projected")
        # The moment the query service has the bar, so does every read through the gateway.
        for headers in ({}, {"If-None-Match": etag}):
            now = await gateway.get(path, headers=headers)
            assert now.status_code == 200
            assert now.json() == (await query.get(path)).json()
            assert now.json()["bars"][-1]["c"] == 5.5
            assert now.headers["etag"] != etag


class HeldPeer:
    """Stands in for the query service: holds each answer until let through, numbers
    its answers, and answers 304 to the tag it gave last."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.answered = 0
        self.asked_with: list[str | None] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        headers = dict(scope["headers"])
        if scope["path"] == "/health":
            await _answer(send, 200, b"{}", [])
            return
        if_none_match = headers.get(b"if-none-match")
        self.asked_with.append(None if if_none_match is None else if_none_match.decode())
        await self.gate.wait()
        tag = f'W/"{self.answered}"'.encode()
        if if_none_match == tag:
            await _answer(send, 304, b"", [(b"etag", tag)])
            return
        self.answered += 1
        tag = f'W/"{self.answered}"'.encode()
        body = b'{"answer":%d}' % self.answered
        await _answer(send, 200, body, [(b"etag", tag), (b"content-type", b"application/json")])


async def _answer(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    length = [(b"content-length", str(len(body)).encode())] if status != 304 else []
    await send({"type": "http.response.start", "status": status, "headers": headers + length})
    await send({"type": "http.response.body", "body": body})


async def test_identical_reads_share_a_fetch_that_began_after_they_came(
    gateway_settings: GatewaySettings, nc: Client
) -> None:
    peer = HeldPeer()
    path = "/v1/bars?symbol=NASDAQ:AAPL&interval=1h"
    async with serving(peer) as peer_url:
        settings = gateway_settings.model_copy(update={"query_url": peer_url})
        async with serving(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as http:
            first = asyncio.create_task(http.get(path))
            await wait_for(lambda: _asked(peer, 1), timeout=10, what="the first fetch")
            later = [asyncio.create_task(http.get(path)) for _ in range(8)]
            await asyncio.sleep(0.3)
            assert len(peer.asked_with) == 1  # the eight wait for a fetch of their own
            peer.gate.set()
            assert (await first).json() == {"answer": 1}
            answers = await asyncio.gather(*later)
            # One more fetch for all eight, begun after them, revalidating the kept copy.
            assert peer.asked_with == [None, 'W/"1"']
            assert {a.status_code for a in answers} == {200}
            assert [a.json() for a in answers] == [{"answer": 1}] * 8


async def _asked(peer: HeldPeer, count: int) -> bool:
    return len(peer.asked_with) >= count
