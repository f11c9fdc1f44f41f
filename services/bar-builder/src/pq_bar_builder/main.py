"""Composition root: settings -> connections and workers (inside the lifespan) -> app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from .bootstrap import running_service
from .http_routes import router
from .settings import BarBuilderSettings


def create_app(settings: BarBuilderSettings | None = None) -> FastAPI:
    settings = settings or BarBuilderSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with running_service(settings) as service:
            app.state.service = service
            yield

    app = FastAPI(title="PocketQuant bar-builder", version="1.0.0", lifespan=lifespan)
    app.include_router(router)
    return app
