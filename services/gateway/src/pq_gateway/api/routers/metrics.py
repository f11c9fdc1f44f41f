"""GET /metrics: Prometheus text exposition of the gateway's registry."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from ..deps import ResourcesDep

router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
    summary="Prometheus metrics",
)
async def metrics(r: ResourcesDep) -> Response:
    return Response(generate_latest(r.metrics.registry), media_type=CONTENT_TYPE_LATEST)
