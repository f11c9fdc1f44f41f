"""Integration fixtures: an own nats-server (streams start empty), the TradingView simulator
in-process on a free port, and service settings with a SQLite store in tmp."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from nats.aio.client import Client

from pq_ingest_history.settings import IngestHistorySettings
from pq_launcher.servers import NatsServer, NatsServerFactory
from pq_runtime.messaging import connect_nats, ensure_topology
from pq_tvsim.config import SimulatorConfig
from pq_tvsim.server import Simulator


@pytest.fixture
def own_nats_server(nats_server_factory: NatsServerFactory) -> NatsServer:
    return nats_server_factory()


@pytest.fixture
async def nc(own_nats_server: NatsServer) -> AsyncIterator[Client]:
    """A test client of `own_nats_server`, the contract's streams ensured."""
    client = await connect_nats(own_nats_server.url, name="ingest-history-test")
    await ensure_topology(client.jetstream())
    yield client
    await client.close()


@pytest.fixture
async def simulator() -> AsyncIterator[Simulator]:
    async with Simulator(SimulatorConfig(port=0)) as sim:
        yield sim


@pytest.fixture
def service_settings(
    tmp_path: Path, own_nats_server: NatsServer, simulator: Simulator
) -> IngestHistorySettings:
    """Settings of one replica; replicas made from them share the SQLite file, as a
    deployment's replicas share their database."""
    return IngestHistorySettings(
        nats_url=own_nats_server.url,
        store_url=f"sqlite:///{tmp_path / 'ingest-history.db'}",
        data_dir=tmp_path,
        http_port=0,
        tradingview_url=simulator.url,
        tradingview_request_timeout_s=10.0,
        fetch_attempts=2,
        fetch_backoff_initial_s=0.1,
        scheduler_tick_s=0.1,
        log_json=False,
    )
