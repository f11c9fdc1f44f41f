"""Integration fixtures: a real nats-server (own, so streams start empty), Redis, a real
HTTP peer for the query service, and the gateway served by uvicorn on a free port."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager

import pytest
from nats.aio.client import Client

from pq_gateway.main import create_app
from pq_gateway.settings import GatewaySettings
from pq_launcher.servers import NatsServer, NatsServerFactory
from pq_runtime.messaging import connect_nats, ensure_topology
from tests.integration.gateway.query_peer import QueryPeer
from tests.integration.gateway.serving import serving

RunGateway = Callable[[], AbstractAsyncContextManager[str]]


@pytest.fixture
def own_nats_server(nats_server_factory: NatsServerFactory) -> NatsServer:
    """A nats-server this test owns: the gateway's streams and buckets start empty."""
    return nats_server_factory()


@pytest.fixture
async def nc(own_nats_server: NatsServer) -> AsyncIterator[Client]:
    """A client of `own_nats_server` with the contract's streams ensured."""
    client = await connect_nats(own_nats_server.url, name="gateway-test")
    await ensure_topology(client.jetstream())
    yield client
    await client.close()


@pytest.fixture
async def query_peer_url(query_peer: QueryPeer) -> AsyncIterator[str]:
    async with serving(query_peer) as url:
        yield url


@pytest.fixture
def query_peer() -> QueryPeer:
    peer = QueryPeer()
    peer.responses["/health"] = (200, b'{"status":"ok"}', "application/json")
    return peer


@pytest.fixture
def gateway_settings(
    own_nats_server: NatsServer, redis_url: str, query_peer_url: str
) -> GatewaySettings:
    """Auth, rate limits and the webhook worker off: the tests about them turn them on."""
    return GatewaySettings(
        nats_url=own_nats_server.url,
        redis_url=redis_url,
        query_url=query_peer_url,
        sse_heartbeat_s=0.5,
        auth_disabled=True,
        rate_limits_enabled=False,
        webhooks_enabled=False,
    )


@pytest.fixture
def run_gateway(gateway_settings: GatewaySettings) -> RunGateway:
    """Call it to serve a fresh gateway app (a new process-like instance) over HTTP."""

    def run() -> AbstractAsyncContextManager[str]:
        return serving(create_app(gateway_settings))

    return run


@pytest.fixture
async def gateway_url(run_gateway: RunGateway, nc: Client) -> AsyncIterator[str]:
    async with run_gateway() as url:
        yield url
