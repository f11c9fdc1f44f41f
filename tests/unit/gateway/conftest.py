"""Unit fixtures: the real app with fakes in place of its connections (no lifespan runs)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from pq_domain.events import SyncRequested
from pq_gateway.adapters.nats_link import NatsLink
from pq_gateway.adapters.query_forwarder import QueryForwarder
from pq_gateway.main import create_app
from pq_gateway.resources import GatewayResources
from pq_gateway.settings import GatewaySettings

QUERY_BASE = "http://query.test"


@dataclass
class RecordingCommands:
    """A command publisher that keeps what it was asked to publish."""

    published: list[tuple[SyncRequested, str, str | None]] = field(default_factory=list)

    async def publish_sync(
        self, command: SyncRequested, *, correlation_id: str, traceparent: str | None
    ) -> None:
        self.published.append((command, correlation_id, traceparent))


@dataclass
class QueryDouble:
    """Stands in for the query service's HTTP answers; records the requests it got."""

    requests: list[httpx.Request] = field(default_factory=list)
    respond: Callable[[httpx.Request], httpx.Response] = lambda _r: httpx.Response(
        200, json={"ok": True}
    )

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.respond(request)


@pytest.fixture
def settings() -> GatewaySettings:
    return GatewaySettings(sync_max_bars=20_000, max_body_bytes=4096)


@pytest.fixture
def commands() -> RecordingCommands:
    return RecordingCommands()


@pytest.fixture
def query_double() -> QueryDouble:
    return QueryDouble()


@pytest.fixture
async def gateway_app(
    settings: GatewaySettings, commands: RecordingCommands, query_double: QueryDouble
) -> AsyncIterator[FastAPI]:
    """The real app with recording doubles as resources; NATS is never connected."""
    app = create_app(settings)
    query_http = httpx.AsyncClient(transport=httpx.MockTransport(query_double), base_url=QUERY_BASE)
    unused: Any = None  # routes under unit test never reach Redis or the KV adapters
    app.state.resources = GatewayResources(
        settings=settings,
        nats=NatsLink("nats://127.0.0.1:1"),
        commands=commands,
        query_http=query_http,
        query=QueryForwarder(query_http),
        redis=unused,
        watchlist=unused,
        stream_status=unused,
    )
    yield app
    await query_http.aclose()


@pytest.fixture
async def gateway_client(gateway_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client calling the gateway app in-process (no lifespan)."""
    transport = httpx.ASGITransport(app=gateway_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
        yield client
