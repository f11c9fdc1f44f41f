"""Composition root: settings -> connections (bootstrap.py, inside the lifespan) -> routers,
middleware -> app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI

from pq_runtime.telemetry import (
    ServerTelemetryMiddleware,
    configure_logging,
    configure_tracing,
    flush_tracing,
)

from .api.error_handlers import install_error_handlers
from .api.forwarded_reads import ForwardedReadsMiddleware
from .api.routers import (
    bars,
    docs,
    health,
    metrics,
    quotes,
    schedules,
    stream,
    subscriptions,
    symbols,
    sync,
    webhooks,
)
from .api.routers.ui import ui_router
from .auth.middleware import ApiKeyAuthMiddleware
from .bootstrap import running_gateway
from .docs.openapi import install_openapi
from .edge.body_limit import BodyLimitMiddleware
from .edge.correlation import CorrelationIdMiddleware
from .edge.unhandled_errors import UnhandledErrorMiddleware
from .idempotency.middleware import IdempotencyMiddleware
from .metrics import GatewayMetrics
from .ratelimit.middleware import RateLimitMiddleware
from .settings import GatewaySettings

log = structlog.get_logger("pq_gateway")

API_DESCRIPTION = """PocketQuant's public REST API.

Every `/v1` route needs an API key (`Authorization: Bearer <key>` or `X-API-Key`) with
the route's scope: `read` for GET, `write` for POST/PUT/DELETE, `admin` for webhooks.
Failed authentications are limited per client address (then 429 with `Retry-After`).
Answers carry `RateLimit-Policy` and `RateLimit`; writes honour `Idempotency-Key`.
Errors are RFC 9457 `application/problem+json` documents (schema `Problem`); every
response carries `X-Correlation-ID` (echoed when the client sent a valid one).
Times are RFC 3339 UTC in every body and in the live stream's events (epoch ms on request:
`time_format=epoch_ms`); events on NATS carry epoch ms (AsyncAPI at `/asyncapi`).
"""


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    metrics_registry = GatewayMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_level, json=settings.log_json, service=settings.service_name)
        configure_tracing(settings.service_name, settings)
        if settings.auth_disabled:
            log.warning("AUTH IS DISABLED (PQ_AUTH_DISABLED=true): every /v1 route is open")
        try:
            async with running_gateway(settings, metrics_registry) as (resources, worker):
                app.state.resources = resources
                app.state.webhook_worker = worker
                yield
        finally:
            flush_tracing()

    # FastAPI's own telemetry (0.165+) is off: it would open a second, unrelated server
    # span per request (outside our middleware) and operation spans the gateway's budget
    # cannot afford. ServerTelemetryMiddleware gives the one server span and the latency.
    app = FastAPI(
        title="PocketQuant gateway",
        version="1.0.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    for module in (
        health,
        metrics,
        docs,
        sync,
        bars,
        symbols,
        quotes,
        subscriptions,
        schedules,
        stream,
        webhooks,
    ):
        app.include_router(module.router)
    app.include_router(ui_router(settings.ui_dir))
    app.state.metrics = metrics_registry  # the middleware's; resources must share it
    install_error_handlers(app)
    install_openapi(app, settings)
    # add_middleware wraps: the last added is outermost. Outermost first: correlation id ->
    # server span + latency -> unhandled errors -> body limit -> auth -> rate limit ->
    # idempotency -> the forwarded reads' fast path (innermost: it answers after all of
    # them, in place of FastAPI's routing for three cheap GETs). The span sits inside the
    # correlation id so that it carries it, and outside everything else so that auth,
    # rate limits and the route are its children.
    app.add_middleware(ForwardedReadsMiddleware)
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(RateLimitMiddleware)
    app.add_middleware(ApiKeyAuthMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(UnhandledErrorMiddleware)
    app.add_middleware(ServerTelemetryMiddleware, latency=metrics_registry.request_latency)
    app.add_middleware(CorrelationIdMiddleware)
    return app
