"""GET /health (200, or 503 naming what is down) and GET /metrics (Prometheus)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from pq_runtime.http import (
    DependencyHealth,
    health_response,
    metrics_response,
    nats_health,
    workers_health,
)

from .bootstrap import RunningService

router = APIRouter()


def _service(request: Request) -> RunningService:
    service: RunningService = request.app.state.service
    return service


@router.get("/health")
async def health(request: Request) -> Response:
    service = _service(request)
    session = service.stream.status()
    tradingview = (
        DependencyHealth("up")
        if session.connected
        else DependencyHealth("down", session.last_error or "connecting")
    )
    return health_response(
        {
            "nats": nats_health(service.nc.is_connected),
            "tradingview": tradingview,
            "workers": workers_health(service.failed_parts()),
        },
        shard=service.shard,
        symbols=len(service.keeper.owned),
    )


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    return metrics_response(_service(request).registry)
