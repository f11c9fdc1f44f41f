"""Integration fixtures over a nats-server of the test's own (tests/conftest.py: streams
start empty) and Redis: a real HTTP peer for the query service (or the query service
itself), and the gateway served by uvicorn on a free port."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest
from nats.aio.client import Client

from pq_gateway.main import create_app
from pq_gateway.settings import GatewaySettings
from pq_launcher.servers import NatsServer
from pq_query.main import create_app as create_query_app
from pq_query.settings import QuerySettings
from tests.integration.gateway.query_peer import QueryPeer
from tests.support.serving import serving

RunGateway = Callable[[], AbstractAsyncContextManager[str]]


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
def query_settings(own_nats_server: NatsServer, redis_url: str, tmp_path: Path) -> QuerySettings:
    return QuerySettings(
        nats_url=own_nats_server.url, redis_url=redis_url, data_dir=tmp_path / "query",
        log_json=False, log_level="WARNING",
    )  # fmt: skip


@pytest.fixture
async def query_service_url(query_settings: QuerySettings) -> AsyncIterator[str]:
    """The real query service on a free port, projecting from `own_nats_server`."""
    async with serving(create_query_app(query_settings)) as url:
        yield url


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
