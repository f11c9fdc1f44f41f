"""`create_app`: /health and /metrics served while the workers run."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import uvicorn
from nats.aio.client import Client

from pq_ingest_history.main import create_app
from pq_ingest_history.settings import IngestHistorySettings
from tests.support.waiting import wait_for


@asynccontextmanager
async def serving(settings: IngestHistorySettings) -> AsyncIterator[str]:
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        if task.done():
            task.result()  # surfaces a startup failure
        return server.started

    await wait_for(started, timeout=15, what="uvicorn to start")
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=20)


async def test_health_and_metrics(nc: Client, service_settings: IngestHistorySettings) -> None:
    async with serving(service_settings) as url, httpx.AsyncClient(base_url=url) as http:
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
