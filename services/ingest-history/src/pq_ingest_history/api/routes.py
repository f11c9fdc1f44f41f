"""GET /health: NATS, the service store and the sync workers; 503 naming what is down
(worker_app serves /metrics)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from pq_runtime.http import store_worker_health

from ..bootstrap import RunningService

router = APIRouter()


@router.get("/health")
async def health(request: Request) -> Response:
    service: RunningService = request.app.state.service
    return await store_worker_health(
        service.nc.is_connected, service.failed_parts(), service.store.ping
    )
