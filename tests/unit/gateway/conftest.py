"""Unit fixtures: the real app with fakes in place of its connections (no lifespan runs)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from pq_domain.events import SyncRequested
from pq_gateway.adapters.nats_link import NatsLink
from pq_gateway.adapters.pending_jobs import pending_job
from pq_gateway.adapters.query_forwarder import QueryForwarder
from pq_gateway.adapters.upstream import HttpxUpstream
from pq_gateway.auth.authenticator import ApiKeyAuthenticator
from pq_gateway.auth.keys import ApiKeyRecord
from pq_gateway.main import create_app
from pq_gateway.resources import GatewayResources
from pq_gateway.settings import GatewaySettings
from pq_gateway.streaming.slots import StreamSlots

QUERY_BASE = "http://query.test"
TEST_PEPPER = "unit-test-pepper"


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


@dataclass
class MemoryPendingJobs:
    """Stands in for the Redis-backed PendingJobs."""

    jobs: dict[str, bytes] = field(default_factory=dict)

    async def remember(self, command: SyncRequested) -> None:
        state = pending_job(command, 1_741_615_200_000)
        self.jobs[command.job_id] = json.dumps(state).encode()

    async def pending(self, job_id: str) -> bytes | None:
        return self.jobs.get(job_id)


@dataclass
class MemoryKeyStore:
    """An ApiKeyStore in a dict."""

    records: dict[str, ApiKeyRecord] = field(default_factory=dict)

    async def put(self, record: ApiKeyRecord) -> None:
        self.records[record.key_id] = record

    async def get(self, key_id: str) -> ApiKeyRecord | None:
        return self.records.get(key_id)

    async def all(self) -> list[ApiKeyRecord]:
        return list(self.records.values())


@pytest.fixture
def settings() -> GatewaySettings:
    """Auth and rate limits off: these tests are about the routes (auth has its own)."""
    return GatewaySettings(
        sync_max_bars=20_000, max_body_bytes=4096, auth_disabled=True, rate_limits_enabled=False
    )


@pytest.fixture
def key_store() -> MemoryKeyStore:
    return MemoryKeyStore()


@pytest.fixture
def pending_jobs() -> MemoryPendingJobs:
    return MemoryPendingJobs()


@pytest.fixture
def commands() -> RecordingCommands:
    return RecordingCommands()


@pytest.fixture
def query_double() -> QueryDouble:
    return QueryDouble()


@pytest.fixture
async def gateway_app(
    settings: GatewaySettings,
    commands: RecordingCommands,
    query_double: QueryDouble,
    key_store: MemoryKeyStore,
    pending_jobs: MemoryPendingJobs,
) -> AsyncIterator[FastAPI]:
    """The real app with recording doubles as resources; NATS is never connected."""
    app = create_app(settings)
    query_http = httpx.AsyncClient(transport=httpx.MockTransport(query_double), base_url=QUERY_BASE)
    unused: Any = None  # routes under unit test never reach Redis or the KV adapters
    fake_pending: Any = pending_jobs
    app.state.resources = GatewayResources(
        settings=settings,
        metrics=app.state.metrics,
        nats=NatsLink("nats://127.0.0.1:1"),
        commands=commands,
        query_http=HttpxUpstream(query_http),
        query=QueryForwarder(HttpxUpstream(query_http)),
        redis=unused,
        watchlist=unused,
        schedules=unused,
        stream_status=unused,
        pending_jobs=fake_pending,
        authenticator=ApiKeyAuthenticator(key_store, pepper=TEST_PEPPER, cache_s=0),
        rate_limiter=unused,
        auth_failures=unused,
        idempotency=unused,
        webhooks=unused,
        stream_slots=StreamSlots(per_key=settings.sse_max_streams_per_key, total=10),
    )
    yield app
    await query_http.aclose()


@pytest.fixture
async def gateway_client(gateway_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client calling the gateway app in-process (no lifespan)."""
    transport = httpx.ASGITransport(app=gateway_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
        yield client
