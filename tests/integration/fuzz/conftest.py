"""Fuzz fixtures: a nats-server of the test's own (clean streams and DLQ), the contract's
topology, and a SQLite store in tmp."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from nats.aio.client import Client

from pq_launcher.servers import NatsServerFactory
from pq_runtime.messaging import TopologySettings, connect_nats, ensure_topology
from pq_runtime.stores.adapters.sqlite import SqliteStore


@pytest.fixture
def fuzz_seed() -> int:
    """PQ_FUZZ_SEED=<n> replays another random corpus; the default keeps CI repeatable."""
    return int(os.environ.get("PQ_FUZZ_SEED", "20240101"))


@pytest.fixture
def fuzz_nats_url(nats_server_factory: NatsServerFactory) -> str:
    """A nats-server of this test's own: streams and PQ_DLQ start empty."""
    return nats_server_factory().url


@pytest.fixture
async def fuzz_nc(fuzz_nats_url: str) -> AsyncIterator[Client]:
    nc = await connect_nats(fuzz_nats_url, name="fuzz")
    await ensure_topology(nc.jetstream(), TopologySettings())
    try:
        yield nc
    finally:
        await nc.close()


@pytest.fixture
async def fuzz_store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    # NORMAL: durability across power loss is not what this suite is about; speed is.
    store = await SqliteStore.open(str(tmp_path / "fuzz.db"), synchronous="NORMAL")
    try:
        yield store
    finally:
        await store.close()
