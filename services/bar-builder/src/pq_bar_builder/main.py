"""Composition root: settings -> connections and workers (inside the lifespan) -> app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from pq_runtime.telemetry import (
    ServerTelemetryMiddleware,
    configure_logging,
    configure_tracing,
    flush_tracing,
    http_request_latency,
)

from .bootstrap import running_service
from .http_routes import router
from .settings import BarBuilderSettings


def create_app(settings: BarBuilderSettings | None = None) -> FastAPI:
    settings = settings or BarBuilderSettings()
    # Built here, not in the lifespan: the middleware observes into it from the start.
    registry = CollectorRegistry()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_level, json=settings.log_json, service=settings.service_name)
        configure_tracing(settings.service_name, settings)
        try:
            async with running_service(settings, registry=registry) as service:
                app.state.service = service
                yield
        finally:
            flush_tracing()

    app = FastAPI(
        title="PocketQuant bar-builder",
        version="1.0.0",
        lifespan=lifespan,
        telemetry={"tracing": False, "metrics": False, "logs": False},  # see gateway/main.py
    )
    app.include_router(router)
    app.add_middleware(ServerTelemetryMiddleware, latency=http_request_latency(registry))
    return app
