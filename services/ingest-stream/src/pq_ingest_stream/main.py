"""Composition root: settings -> connections and loops (inside the lifespan) -> app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from .bootstrap import running_service
from .http_routes import router
from .settings import IngestStreamSettings


def create_app(settings: IngestStreamSettings | None = None) -> FastAPI:
    settings = settings or IngestStreamSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with running_service(settings) as service:
            app.state.service = service
            yield

    app = FastAPI(title="PocketQuant ingest-stream", version="1.0.0", lifespan=lifespan)
    app.include_router(router)
    return app
