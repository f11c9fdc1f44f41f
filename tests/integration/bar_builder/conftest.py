from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client

from pq_bar_builder.settings import BarBuilderSettings
from pq_launcher.servers import NatsServer, NatsServerFactory
from pq_runtime.messaging import connect_nats, ensure_topology

SettingsFactory = Callable[..., BarBuilderSettings]

# A long idle timeout: the tests' event times are in 2024, and only the watermark closes bars.
TEST_BARS = {"grace_ms": 2_000, "lateness_ms": 60_000, "idle_timeout_ms": 3_600_000}


@pytest.fixture
def own_nats(nats_server_factory: NatsServerFactory) -> NatsServer:
    """A nats-server of this test alone: the partitioned stream starts empty."""
    return nats_server_factory()


@pytest.fixture
async def nc(own_nats: NatsServer) -> AsyncIterator[Client]:
    client = await connect_nats(own_nats.url, name="test")
    await ensure_topology(client.jetstream())
    yield client
    await client.close()


@pytest.fixture
def bar_builder_settings(own_nats: NatsServer, tmp_path: Path) -> SettingsFactory:
    """Settings for an in-process bar-builder on this test's server and SQLite file."""

    def make(**overrides: Any) -> BarBuilderSettings:
        values: dict[str, Any] = {
            "nats_url": own_nats.url,
            "data_dir": tmp_path,
            "http_port": 0,
            "partition_count": 4,
            "partitions": (0, 1, 2, 3),
            "log_json": False,
            **TEST_BARS,
            **overrides,
        }
        return BarBuilderSettings(**values)

    return make
