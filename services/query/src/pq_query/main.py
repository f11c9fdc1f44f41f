"""Composition root: settings -> store, NATS, Redis, projections (bootstrap.py) -> read API.

Everything is built inside the lifespan, never at import time.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import structlog
from fastapi import FastAPI

from pq_runtime.telemetry import (
    ServerTelemetryMiddleware,
    configure_logging,
    configure_tracing,
    flush_tracing,
)

from .api.bars_hot_path import BarsHotPath
from .api.problems import install_problem_handlers
from .api.routers import bars, health, internal, quotes, symbols, sync
from .bootstrap import start_query
from .metrics import QueryMetrics
from .settings import QuerySettings

log = structlog.get_logger(__name__)


def create_app(settings: QuerySettings | None = None) -> FastAPI:
    s = settings or QuerySettings()
    metrics = QueryMetrics()  # here, not in the lifespan: the middleware observes into it

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(s.log_level, json=s.log_json, service=s.service_name)
        configure_tracing(s.service_name, s)
        stack = AsyncExitStack()
        stack.callback(flush_tracing)  # runs last: spans of the shutdown are exported too
        async with stack:
            app.state.resources = await start_query(s, metrics, stack)
            log.info("query.started", store=s.store_url.split("?")[0], port=s.http_port)
            # What start-up built lives as long as the process: out of the collector's
            # sight, a full collection scans only what requests and batches allocate
            # (it scanned the ~100k objects of the frameworks too, tens of ms: the p99).
            gc.collect()
            gc.freeze()
            try:
                yield
            finally:
                gc.unfreeze()

    app = FastAPI(
        title="PocketQuant query (internal read API)",
        lifespan=lifespan,
        telemetry={"tracing": False, "metrics": False, "logs": False},  # see gateway/main.py
    )
    install_problem_handlers(app)
    for module in (bars, sync, symbols, quotes, health, internal):
        app.include_router(module.router)
    # Inside the telemetry: hot reads are traced and timed under the route they stand for.
    app.add_middleware(BarsHotPath, route=bars.router.routes[0])
    # The gateway is the only caller: continue its trace and adopt its correlation id.
    app.add_middleware(
        ServerTelemetryMiddleware, latency=metrics.http_latency, adopt_correlation_id=True
    )
    return app
