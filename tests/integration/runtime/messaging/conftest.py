from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from nats.aio.client import Client

from pq_launcher.servers import NatsServer, NatsServerFactory
from pq_runtime.messaging import connect_nats, ensure_topology


@pytest.fixture
def own_nats_server(nats_server_factory: NatsServerFactory) -> NatsServer:
    """A nats-server this test owns: empty streams, free to stop and restart."""
    return nats_server_factory()


@pytest.fixture
async def nc(own_nats_server: NatsServer) -> AsyncIterator[Client]:
    """A client of `own_nats_server` with the contract's streams ensured."""
    client = await connect_nats(own_nats_server.url, name="test")
    await ensure_topology(client.jetstream())
    yield client
    await client.close()
