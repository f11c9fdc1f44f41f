"""The forwarded reads' HTTP/1.1 client (adapters/http1_upstream.py) against a real uvicorn:
kept-alive connections reused, a connection the server closed while idle replaced without
an error, chunked answers, headers both ways, and failures as UpstreamUnreachable."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import uvicorn
from starlette.types import Receive, Scope, Send

from pq_gateway.adapters.http1_upstream import Http1Upstream
from pq_gateway.adapters.upstream import UpstreamUnreachable
from pq_launcher.ports import free_port
from tests.support.waiting import wait_for

KEEP_ALIVE_S = 1


class Peer:
    """Answers with what it was asked; remembers the client port of every request."""

    def __init__(self) -> None:
        self.ports: list[int] = []
        self.never = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        self.ports.append(scope["client"][1])
        if scope["path"] == "/slow":
            await self.never.wait()
        seen = dict(scope["headers"])
        body = b"|".join([scope["path"].encode(), scope["query_string"], seen.get(b"x-a", b"")])
        if scope["path"] == "/chunked":
            await send({"type": "http.response.start", "status": 200, "headers": []})
            for part in (body, b"-second", b"-third"):
                await send({"type": "http.response.body", "body": part, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
            return
        headers = [(b"content-type", b"text/plain"), (b"pq-coverage", b"complete")]
        await send(
            {
                "type": "http.response.start",
                "status": 404 if scope["path"] == "/missing" else 200,
                "headers": headers,
            }
        )
        await send({"type": "http.response.body", "body": body})


@asynccontextmanager
async def serving(peer: Peer) -> AsyncIterator[str]:
    port = free_port()
    config = uvicorn.Config(
        peer, port=port, log_level="warning", timeout_keep_alive=KEEP_ALIVE_S, lifespan="off"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        return server.started

    await wait_for(started, timeout=15, what="uvicorn to start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=15)


@pytest.fixture
async def peer_and_client() -> AsyncIterator[tuple[Peer, Http1Upstream]]:
    peer = Peer()
    async with serving(peer) as url:
        client = Http1Upstream(url, max_connections=4, timeout_s=5)
        yield peer, client
        await client.aclose()


async def test_answers_come_back_whole_on_one_kept_alive_connection(
    peer_and_client: tuple[Peer, Http1Upstream],
) -> None:
    peer, client = peer_and_client
    first = await client.get("/v1/bars?symbol=A%3AB&x=%C3%A9", {"X-A": "one"})
    second = await client.get("/missing", {})
    chunked = await client.get("/chunked?q=1", {"X-A": "two"})
    assert first.status == 200
    assert first.body == b"/v1/bars|symbol=A%3AB&x=%C3%A9|one"  # the query as sent
    assert ("pq-coverage", "complete") in [(k.lower(), v) for k, v in first.headers]
    assert second.status == 404
    assert chunked.body == b"/chunked|q=1|two-second-third"
    assert len(set(peer.ports)) == 1  # one connection for the three


async def test_a_connection_the_server_closed_while_idle_is_replaced(
    peer_and_client: tuple[Peer, Http1Upstream],
) -> None:
    peer, client = peer_and_client
    await client.get("/a", {})
    idle = client._idle[0]  # the only way to see the server's close land

    async def closed() -> bool:
        return idle.closed

    await wait_for(closed, timeout=10, what="the server to close the idle connection")
    answer = await client.get("/b", {})
    assert answer.body == b"/b||"
    assert len(set(peer.ports)) == 2


async def test_failures_are_upstream_unreachable(
    peer_and_client: tuple[Peer, Http1Upstream],
) -> None:
    peer, client = peer_and_client
    with pytest.raises(UpstreamUnreachable, match="within"):
        await client.get("/slow", {}, timeout_s=0.3)
    assert (await client.get("/after", {})).body == b"/after||"  # the pool still serves
    refused = Http1Upstream(f"http://127.0.0.1:{free_port()}", max_connections=1, timeout_s=5)
    with pytest.raises(UpstreamUnreachable):
        await refused.get("/", {})
    await refused.aclose()
    peer.never.set()
