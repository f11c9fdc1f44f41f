"""GET /health (200, or 503 naming what is down) and GET /metrics (Prometheus)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from .bootstrap import RunningService

router = APIRouter()
PROBE_TIMEOUT_S = 2.0


def _service(request: Request) -> RunningService:
    service: RunningService = request.app.state.service
    return service


async def _store_up(service: RunningService) -> bool:
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_S):
            await service.state.ping()
    except Exception:  # any failure to answer means down
        return False
    return True


@router.get("/health")
async def health(request: Request) -> JSONResponse:
    service = _service(request)
    stopped = service.failed_parts()
    dependencies = {
        "nats": "up" if service.nc.is_connected else "down",
        "store": "up" if await _store_up(service) else "down",
        "workers": "up" if not stopped else f"stopped: {', '.join(stopped)}",
    }
    ok = all(state == "up" for state in dependencies.values())
    body = {
        "status": "ok" if ok else "degraded",
        "instance": service.instance_id,
        "partitions": service.supervisor.owned(),
        "dependencies": dependencies,
    }
    return JSONResponse(body, status_code=200 if ok else 503)


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    return Response(generate_latest(_service(request).registry), media_type=CONTENT_TYPE_LATEST)
