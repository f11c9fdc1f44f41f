"""Service settings over the test's own nats-server (streams start empty) and the
TradingView simulator in-process on a free port (both from tests/conftest.py), with a
SQLite store in tmp."""

from __future__ import annotations

from pathlib import Path

import pytest

from pq_ingest_history.settings import IngestHistorySettings
from pq_launcher.servers import NatsServer
from pq_tvsim.server import Simulator


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
