"""Composition root: settings -> connections (inside the lifespan) -> routers -> app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from redis.asyncio import Redis

from .adapters.command_publisher import JetStreamCommandPublisher
from .adapters.nats_link import NatsLink
from .adapters.query_forwarder import QueryForwarder
from .adapters.stream_status import KvStreamStatus
from .adapters.watchlist import KvWatchlist
from .error_handlers import install_error_handlers
from .middleware.body_limit import BodyLimitMiddleware
from .middleware.correlation import CorrelationIdMiddleware
from .middleware.unhandled_errors import UnhandledErrorMiddleware
from .problems import Problem
from .resources import GatewayResources
from .routers import bars, health, quotes, stream, subscriptions, symbols, sync
from .settings import GatewaySettings

API_DESCRIPTION = """PocketQuant's public REST API.

Errors are RFC 9457 `application/problem+json` documents (schema `Problem`); every
response carries `X-Correlation-ID` (echoed when the client sent a valid one).
"""


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        link = NatsLink(settings.nats_url)
        query_http = httpx.AsyncClient(
            base_url=settings.query_url,
            timeout=settings.query_timeout_s,
            limits=httpx.Limits(
                max_connections=settings.query_max_connections,
                max_keepalive_connections=settings.query_max_connections,
            ),
        )
        redis = Redis.from_url(
            settings.redis_url,
            socket_connect_timeout=settings.dependency_probe_timeout_s,
            socket_timeout=settings.dependency_probe_timeout_s,
        )
        await link.start()
        app.state.resources = GatewayResources(
            settings=settings,
            nats=link,
            commands=JetStreamCommandPublisher(link, timeout_s=settings.nats_publish_timeout_s),
            query_http=query_http,
            query=QueryForwarder(query_http),
            redis=redis,
            watchlist=KvWatchlist(
                link, replicas=settings.kv_replicas, timeout_s=settings.nats_publish_timeout_s
            ),
            stream_status=KvStreamStatus(link, timeout_s=settings.nats_publish_timeout_s),
        )
        try:
            yield
        finally:
            await query_http.aclose()
            await redis.aclose()
            await link.close()

    app = FastAPI(
        title="PocketQuant gateway",
        version="1.0.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
    )
    for router in (
        health.router,
        sync.router,
        bars.router,
        symbols.router,
        quotes.router,
        subscriptions.router,
        stream.router,
    ):
        app.include_router(router)
    install_error_handlers(app)
    _register_problem_schema(app)
    # add_middleware wraps: the last added is outermost. Issue 7 adds auth and rate
    # limits between the body limit and the routes.
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(UnhandledErrorMiddleware)
    app.add_middleware(CorrelationIdMiddleware)
    return app


def _register_problem_schema(app: FastAPI) -> None:
    """Add `Problem` (and `FieldError`) to the components the problem responses refer to.

    Declaring it as a response `model` would also list it under application/json.
    """
    original = app.openapi

    def openapi() -> dict[str, object]:
        schema = original()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(problem.pop("$defs", {}))
        components["Problem"] = problem
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
