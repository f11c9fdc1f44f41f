"""The HTTP shell of a worker service: /health and /metrics around its running work.

ingest-history, ingest-stream and bar-builder do their work in consumers and loops;
HTTP only reports on it. Each composition root passes its routes (its /health) and a
`run` that opens its connections and workers, and this builds the same app around
them, serving the registry it gives `run` at /metrics.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import APIRouter, FastAPI
from prometheus_client import CollectorRegistry
from starlette.responses import Response

from ..settings import ServiceSettings
from ..telemetry import (
    ServerTelemetryMiddleware,
    configure_logging,
    configure_tracing,
    flush_tracing,
    http_request_latency,
)
from .health import metrics_response

RunService = Callable[[CollectorRegistry], AbstractAsyncContextManager[object]]
"""Opens the service's connections and workers (exposing metrics in the registry)."""


def worker_app(
    settings: ServiceSettings, *, title: str, router: APIRouter, run: RunService
) -> FastAPI:
    # Built here, not in the lifespan: the middleware observes into it from the start.
    registry = CollectorRegistry()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_level, json=settings.log_json, service=settings.service_name)
        # A real provider even without an exporter: events produced here get a
        # traceparent, so downstream spans join one trace.
        configure_tracing(settings.service_name, settings)
        try:
            async with run(registry) as service:
                app.state.service = service
                yield
        finally:
            flush_tracing()

    app = FastAPI(
        title=title,
        version="1.0.0",
        lifespan=lifespan,
        # FastAPI's own telemetry would add a second, unrelated server span per request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.include_router(router)

    @app.get("/metrics")
    async def metrics() -> Response:
        return metrics_response(registry)

    app.add_middleware(ServerTelemetryMiddleware, latency=http_request_latency(registry))
    return app
