"""`create_app`: /health and /metrics served while the workers run."""

from __future__ import annotations

import httpx
from nats.aio.client import Client

from pq_ingest_history.main import create_app
from pq_ingest_history.settings import IngestHistorySettings
from tests.support.serving import serving


async def test_health_and_metrics(nc: Client, service_settings: IngestHistorySettings) -> None:
    app = create_app(service_settings)
    async with serving(app) as url, httpx.AsyncClient(base_url=url) as http:
        health = await http.get("/health")
        metrics = await http.get("/metrics")

    assert health.status_code == 200, health.text
    assert health.json() == {
        "status": "ok",
        "dependencies": {
            "nats": {"status": "up"},
            "store": {"status": "up"},
            "workers": {"status": "up"},
        },
    }
    assert metrics.status_code == 200
    assert "pq_sync_jobs_total" in metrics.text
    assert "pq_outbox_pending" in metrics.text
