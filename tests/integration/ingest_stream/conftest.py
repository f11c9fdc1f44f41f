"""Integration fixtures: over an own nats-server per test (tests/conftest.py: the KV buckets
start empty), the TradingView simulator in-process on a free port at 30x speed, shards run
in-process."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext

from pq_ingest_stream.bootstrap import RunningService, running_service
from pq_ingest_stream.settings import IngestStreamSettings
from pq_launcher.servers import NatsServer
from pq_tvsim import Simulator, SimulatorConfig

from .drop_repairs import DropRepairs
from .probes import Watchlist

START_MS = int(datetime(2025, 3, 5, 15, 0, tzinfo=UTC).timestamp() * 1000)  # a Wednesday
SPEED = 30.0
FAST_START_MS = int(datetime(2025, 3, 5, 15, 13, tzinfo=UTC).timestamp() * 1000)
FAST_SPEED = 120.0


@pytest.fixture
def js(nc: Client) -> JetStreamContext:
    return nc.jetstream()


@pytest.fixture
async def watchlist(js: JetStreamContext) -> Watchlist:
    """Writes PQ_WATCHLIST exactly as the gateway does."""
    return await Watchlist.open(js)


def _world(start_ms: int, speed: float) -> SimulatorConfig:
    return SimulatorConfig(port=0, seed=7, start_ms=start_ms, speed=speed, heartbeat_interval_s=1.0)


@pytest.fixture
async def simulator() -> AsyncIterator[Simulator]:
    async with Simulator(_world(START_MS, SPEED)) as sim:
        yield sim


@pytest.fixture
async def fast_simulator() -> AsyncIterator[Simulator]:
    """120x from 15:13 (5m buckets pass in 2.5 s), for the dropped-quote repairs."""
    async with Simulator(_world(FAST_START_MS, FAST_SPEED)) as sim:
        yield sim


@pytest.fixture
def drop_repairs(
    own_nats_server: NatsServer, fast_simulator: Simulator, tmp_path: Path
) -> DropRepairs:
    shards = ShardSettings(own_nats_server.url, fast_simulator.url)
    return DropRepairs(shards, own_nats_server.url, fast_simulator, tmp_path)


@pytest.fixture
def shard_settings(own_nats_server: NatsServer, simulator: Simulator) -> ShardSettings:
    return ShardSettings(own_nats_server.url, simulator.url)


class ShardSettings:
    """Settings of one shard, fast timings for tests; `make(**overrides)`."""

    def __init__(self, nats_url: str, tradingview_url: str) -> None:
        self._base: dict[str, Any] = {
            "nats_url": nats_url,
            "tradingview_url": tradingview_url,
            "tradingview_backoff_initial_s": 0.05,
            "tradingview_backoff_max_s": 0.3,
            "tradingview_silence_timeout_s": 5.0,
            "http_port": 0,
            "heartbeat_s": 0.25,
            "member_ttl_s": 1.5,
            "gap_settle_s": 0.5,
            "session_poll_s": 0.05,
            "log_json": False,
        }

    def make(self, **overrides: Any) -> IngestStreamSettings:
        return IngestStreamSettings.model_validate({**self._base, **overrides})


@contextlib.asynccontextmanager
async def shard(settings: IngestStreamSettings) -> AsyncIterator[RunningService]:
    async with running_service(settings) as service:
        yield service
