"""Composition root: settings -> connections and workers (inside the lifespan) -> app."""

from __future__ import annotations

from fastapi import FastAPI

from pq_runtime.http import worker_app

from .api.routes import router
from .bootstrap import running_service
from .settings import BarBuilderSettings


def create_app(settings: BarBuilderSettings | None = None) -> FastAPI:
    settings = settings or BarBuilderSettings()
    return worker_app(
        settings,
        title="PocketQuant bar-builder",
        router=router,
        run=lambda registry: running_service(settings, registry=registry),
    )
