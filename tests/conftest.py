"""Shared session fixtures: real nats-server and redis-server, started by the launcher's code.

Session servers (`nats_server`, `nats_url`, `redis_server`, `redis_url`) are shared by every
test; a test that stops or kills a server should make its own with `nats_server_factory` /
`redis_server_factory`. A session server a test left stopped is started again after it.
A test that needs empty streams takes `own_nats_server` (and `nc`, a client of it); one that
needs the TradingView simulator takes `simulator`, which a folder may override with its own
world.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from nats.aio.client import Client
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from pq_launcher.servers import (
    EmbeddedServer,
    NatsServer,
    NatsServerFactory,
    RedisServer,
    RedisServerFactory,
    start_nats_on_free_ports,
    start_redis_on_free_ports,
)
from pq_runtime.messaging import connect_nats, ensure_topology
from pq_runtime.telemetry import install_in_memory_exporter
from pq_tvsim import Simulator, SimulatorConfig
from tests.support.mongodb import mongodb_url

_session_servers: list[EmbeddedServer] = []


@pytest.fixture(autouse=True)
def _restart_stopped_session_servers() -> Iterator[None]:
    yield
    for server in _session_servers:
        if not server.is_running:
            server.start()


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    """The session's nats-server (JetStream on, sync_interval always): .url, .stop(), .start()."""
    server = start_nats_on_free_ports(tmp_path_factory.mktemp("nats"))
    _session_servers.append(server)
    yield server
    _session_servers.remove(server)
    server.stop()


@pytest.fixture(scope="session")
def nats_url(nats_server: NatsServer) -> str:
    """nats://127.0.0.1:<port> of the session's nats-server."""
    return nats_server.url


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """The session's redis-server: .url, .stop(), .start()."""
    server = start_redis_on_free_ports(tmp_path_factory.mktemp("redis"))
    _session_servers.append(server)
    yield server
    _session_servers.remove(server)
    server.stop()


@pytest.fixture(scope="session")
def redis_url(redis_server: RedisServer) -> str:
    """redis://127.0.0.1:<port>/0 of the session's redis-server."""
    return redis_server.url


@pytest.fixture
def nats_server_factory(tmp_path: Path) -> Iterator[NatsServerFactory]:
    """Call it for a fresh running nats-server this test owns (stopped after the test).

    `nats_server_factory(data_dir=...)` reuses a store, e.g. to inspect data after a crash.
    """
    servers: list[NatsServer] = []

    def make(data_dir: Path | None = None) -> NatsServer:
        server = start_nats_on_free_ports(data_dir or tmp_path / f"nats-{len(servers)}")
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def redis_server_factory(tmp_path: Path) -> Iterator[RedisServerFactory]:
    """Call it for a fresh running redis-server this test owns (stopped after the test)."""
    servers: list[RedisServer] = []

    def make(data_dir: Path | None = None) -> RedisServer:
        server = start_redis_on_free_ports(data_dir or tmp_path / f"redis-{len(servers)}")
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def mongo_url() -> Iterator[str]:
    """A MongoDB replica set's URL (PQ_TEST_MONGODB_URL or Docker), or a skip with the reason."""
    with mongodb_url() as url:
        yield url


@pytest.fixture(scope="session")
def session_span_exporter() -> InMemorySpanExporter:
    # One per session: a span processor cannot be removed from the global provider.
    return install_in_memory_exporter()


@pytest.fixture
def span_exporter(session_span_exporter: InMemorySpanExporter) -> Iterator[InMemorySpanExporter]:
    """The spans ended during this test (every service's: they share the process)."""
    session_span_exporter.clear()
    yield session_span_exporter
    session_span_exporter.clear()


@pytest.fixture
def own_nats_server(nats_server_factory: NatsServerFactory) -> NatsServer:
    """A nats-server this test owns: its streams and buckets start empty, and it is free to
    stop and restart."""
    return nats_server_factory()


@pytest.fixture
async def nc(own_nats_server: NatsServer) -> AsyncIterator[Client]:
    """A client of `own_nats_server` with the contract's streams ensured."""
    client = await connect_nats(own_nats_server.url, name="test")
    await ensure_topology(client.jetstream())
    yield client
    await client.close()


@pytest.fixture
async def simulator() -> AsyncIterator[Simulator]:
    """The TradingView simulator in-process on a free port, in its default world."""
    async with Simulator(SimulatorConfig(port=0)) as sim:
        yield sim
