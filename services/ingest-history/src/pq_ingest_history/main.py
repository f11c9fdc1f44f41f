"""Composition root: settings -> connections and workers (inside the lifespan) -> app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from .bootstrap import running_service
from .http_routes import router
from .settings import IngestHistorySettings
from .tracing import install_tracer_provider


def create_app(settings: IngestHistorySettings | None = None) -> FastAPI:
    settings = settings or IngestHistorySettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        install_tracer_provider(settings.service_name, settings.otel_exporter_otlp_endpoint)
        async with running_service(settings) as service:
            app.state.service = service
            yield

    app = FastAPI(title="PocketQuant ingest-history", version="1.0.0", lifespan=lifespan)
    app.include_router(router)
    return app
