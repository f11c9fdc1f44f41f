from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypedDict

import pytest

from pq_bar_builder.settings import BarBuilderSettings
from pq_launcher.servers import NatsServer

SettingsFactory = Callable[..., BarBuilderSettings]


class BarTimings(TypedDict):
    grace_ms: int
    lateness_ms: int
    idle_timeout_ms: int


# A long idle timeout: the tests' event times are in 2024, and only the watermark closes bars.
TEST_BARS = BarTimings(grace_ms=2_000, lateness_ms=60_000, idle_timeout_ms=3_600_000)


@pytest.fixture
def bar_builder_settings(own_nats_server: NatsServer, tmp_path: Path) -> SettingsFactory:
    """Settings for an in-process bar-builder on this test's server and SQLite file."""

    def make(**overrides: Any) -> BarBuilderSettings:
        values: dict[str, Any] = {
            "nats_url": own_nats_server.url,
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
