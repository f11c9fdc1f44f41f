"""GET /health: 200 when NATS, Redis and the query service are all up, else 503."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ..deps import ResourcesDep
from ..schemas.health import DependencyHealth, HealthReport

router = APIRouter(tags=["health"])


async def _redis_health(r: ResourcesDep) -> DependencyHealth:
    try:
        async with asyncio.timeout(r.settings.dependency_probe_timeout_s):
            await r.redis.ping()
    except Exception as exc:  # any failure to answer a ping means down
        return DependencyHealth(status="down", detail=type(exc).__name__)
    return DependencyHealth(status="up")


async def _query_health(r: ResourcesDep) -> DependencyHealth:
    healthy, detail = await r.query.is_healthy(r.settings.dependency_probe_timeout_s)
    return DependencyHealth(status="up" if healthy else "down", detail=detail)


@router.get(
    "/health",
    response_model=HealthReport,
    responses={503: {"model": HealthReport, "description": "A dependency is down"}},
    summary="Each dependency's state",
)
async def health(r: ResourcesDep) -> JSONResponse:
    nats = DependencyHealth(
        status="up" if r.nats.is_connected else "down",
        detail=None if r.nats.is_connected else "not connected",
    )
    redis, query = await asyncio.gather(_redis_health(r), _query_health(r))
    dependencies = {"nats": nats, "redis": redis, "query": query}
    ok = all(d.status == "up" for d in dependencies.values())
    report = HealthReport(status="ok" if ok else "degraded", dependencies=dependencies)
    # No "detail": null for what is up: the one /health shape of every service.
    body = report.model_dump(mode="json", exclude_none=True)
    return JSONResponse(body, status_code=200 if ok else 503)
