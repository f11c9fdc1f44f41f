"""A real simulator on a free port, in-process, with a fixed start (a Wednesday, markets open)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from pq_tradingview import TradingViewClient, TradingViewSettings
from pq_tvsim import Simulator, SimulatorConfig

START_MS = int(datetime(2025, 3, 5, 15, 0, tzinfo=UTC).timestamp() * 1000)


def simulator_config(**overrides: object) -> SimulatorConfig:
    config = SimulatorConfig(
        port=0,
        seed=11,
        start_ms=START_MS,
        speed=30,
        heartbeat_interval_s=0.5,
        heartbeat_timeout_s=3,
    )
    for name, value in overrides.items():
        setattr(config, name, value)
    return config


@pytest.fixture
async def simulator() -> AsyncIterator[Simulator]:
    async with Simulator(simulator_config()) as sim:
        yield sim


def client_settings(simulator: Simulator, **overrides: object) -> TradingViewSettings:
    values: dict[str, object] = {
        "url": simulator.url,
        "request_timeout_s": 10.0,
        "backoff_initial_s": 0.1,
        "backoff_max_s": 0.5,
    }
    values.update(overrides)
    return TradingViewSettings.model_validate(values)


@pytest.fixture
async def tv_client(simulator: Simulator) -> AsyncIterator[TradingViewClient]:
    async with TradingViewClient(client_settings(simulator)) as client:
        yield client
