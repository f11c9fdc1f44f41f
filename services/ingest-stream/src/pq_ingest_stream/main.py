"""Composition root: settings -> connections and loops (inside the lifespan) -> app."""

from __future__ import annotations

from fastapi import FastAPI

from pq_runtime.http import worker_app

from .api.routes import router
from .bootstrap import running_service
from .settings import IngestStreamSettings


def create_app(settings: IngestStreamSettings | None = None) -> FastAPI:
    settings = settings or IngestStreamSettings()
    return worker_app(
        settings,
        title="PocketQuant ingest-stream",
        router=router,
        run=lambda registry: running_service(settings, registry=registry),
    )
