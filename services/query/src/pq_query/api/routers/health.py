"""GET /health (store, NATS, Redis: 200 or 503 naming the failing one) and GET /metrics."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

import msgspec
from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.responses import Response

from ..deps import ResourcesDep

router = APIRouter(tags=["health"])
_PROBE_TIMEOUT_S = 1.0


class DependencyHealth(msgspec.Struct, omit_defaults=True):
    status: str
    detail: str | None = None


class HealthReport(msgspec.Struct):
    status: str
    dependencies: dict[str, DependencyHealth]


async def _probe(check: Awaitable[object]) -> DependencyHealth:
    try:
        async with asyncio.timeout(_PROBE_TIMEOUT_S):
            await check
    except Exception as exc:  # any failure to answer means down
        return DependencyHealth("down", type(exc).__name__)
    return DependencyHealth("up")


@router.get("/health", summary="Each dependency's state")
async def health(r: ResourcesDep) -> Response:
    store, redis = await asyncio.gather(_probe(r.models.ping()), _probe(r.redis.ping()))
    connected = r.nc.is_connected
    nats = DependencyHealth("up") if connected else DependencyHealth("down", "not connected")
    deps = {"store": store, "nats": nats, "redis": redis}
    ok = all(d.status == "up" for d in deps.values())
    body = msgspec.json.encode(HealthReport("ok" if ok else "degraded", deps))
    return Response(body, status_code=200 if ok else 503, media_type="application/json")


@router.get("/metrics", summary="Prometheus metrics")
async def metrics(r: ResourcesDep) -> Response:
    return Response(generate_latest(r.metrics.registry), media_type=CONTENT_TYPE_LATEST)
