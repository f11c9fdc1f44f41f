"""The history pipeline in one process: gateway, ingest-history and query built with their
own `create_app(settings)` and served on free ports, over a nats-server of the test's own,
the session's Redis and an in-process TradingView simulator, all spans captured in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from pq_gateway.main import create_app as create_gateway
from pq_gateway.settings import GatewaySettings
from pq_ingest_history.main import create_app as create_ingest_history
from pq_ingest_history.settings import IngestHistorySettings
from pq_launcher.servers import NatsServer
from pq_query.main import create_app as create_query
from pq_query.settings import QuerySettings
from pq_tvsim.server import Simulator
from tests.support.serving import serving


@dataclass(frozen=True, slots=True)
class PipelineUrls:
    gateway: str
    ingest_history: str
    query: str


@pytest.fixture
def nats_url_of_pipeline(own_nats_server: NatsServer) -> str:
    return own_nats_server.url


@pytest.fixture
async def pipeline(
    tmp_path: Path,
    own_nats_server: NatsServer,
    redis_url: str,
    simulator: Simulator,
    span_exporter: InMemorySpanExporter,
) -> AsyncIterator[PipelineUrls]:
    """The three services running; JSON logs, as in production."""
    nats_url = own_nats_server.url
    query = QuerySettings(
        nats_url=nats_url,
        redis_url=redis_url,
        log_json=True,
        store_url=f"sqlite:///{tmp_path / 'query.db'}",
    )
    ingest = IngestHistorySettings(
        nats_url=nats_url,
        redis_url=redis_url,
        log_json=True,
        store_url=f"sqlite:///{tmp_path / 'ingest-history.db'}",
        data_dir=tmp_path,
        tradingview_url=simulator.url,
        scheduler_enabled=False,
    )
    async with (
        serving(create_query(query)) as query_url,
        serving(create_ingest_history(ingest)) as ingest_url,
    ):
        gateway = GatewaySettings(
            nats_url=nats_url,
            redis_url=redis_url,
            log_json=True,
            query_url=query_url,
            auth_disabled=True,
            rate_limits_enabled=False,
            webhooks_enabled=False,
        )
        async with serving(create_gateway(gateway)) as gateway_url:
            yield PipelineUrls(gateway_url, ingest_url, query_url)
