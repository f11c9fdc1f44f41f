"""GET /health (200, or 503 naming what is down) and GET /metrics (Prometheus)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from .bootstrap import RunningService

router = APIRouter()


def _service(request: Request) -> RunningService:
    service: RunningService = request.app.state.service
    return service


@router.get("/health")
async def health(request: Request) -> JSONResponse:
    service = _service(request)
    stopped = service.failed_parts()
    session = service.stream.status()
    dependencies = {
        "nats": "up" if service.nc.is_connected else "down",
        "tradingview": "up" if session.connected else f"down: {session.last_error or 'connecting'}",
        "workers": "up" if not stopped else f"stopped: {', '.join(stopped)}",
    }
    ok = all(state == "up" for state in dependencies.values())
    body = {
        "status": "ok" if ok else "degraded",
        "shard": service.shard,
        "symbols": len(service.keeper.owned),
        "dependencies": dependencies,
    }
    return JSONResponse(body, status_code=200 if ok else 503)


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    return Response(generate_latest(_service(request).registry), media_type=CONTENT_TYPE_LATEST)
