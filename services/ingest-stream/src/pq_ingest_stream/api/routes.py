"""GET /health: 200, or 503 naming what is down (worker_app serves /metrics)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from pq_runtime.http import (
    DependencyHealth,
    health_response,
    nats_health,
    workers_health,
)

from ..bootstrap import RunningService

router = APIRouter()


@router.get("/health")
async def health(request: Request) -> Response:
    service: RunningService = request.app.state.service
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
