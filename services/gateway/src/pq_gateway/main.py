"""Composition root: settings -> connections (inside the lifespan) -> routers -> app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI
from redis.asyncio import Redis

from pq_runtime.telemetry import (
    ServerTelemetryMiddleware,
    configure_logging,
    configure_tracing,
    flush_tracing,
)

from .adapters.command_publisher import JetStreamCommandPublisher
from .adapters.nats_link import NatsLink
from .adapters.pending_jobs import PendingJobs
from .adapters.query_forwarder import QueryForwarder
from .adapters.schedules import KvSchedules
from .adapters.stream_status import KvStreamStatus
from .adapters.upstream import AiohttpUpstream
from .adapters.upstream_pool import FailoverUpstream
from .adapters.watchlist import KvWatchlist
from .auth.authenticator import ApiKeyAuthenticator
from .auth.store import KvApiKeyStore
from .docs.openapi import install_openapi
from .error_handlers import install_error_handlers
from .idempotency.store import IdempotencyStore
from .metrics import GatewayMetrics
from .middleware.auth import ApiKeyAuthMiddleware
from .middleware.body_limit import BodyLimitMiddleware
from .middleware.correlation import CorrelationIdMiddleware
from .middleware.forwarded_reads import ForwardedReadsMiddleware
from .middleware.idempotency import IdempotencyMiddleware
from .middleware.rate_limit import RateLimitMiddleware
from .middleware.unhandled_errors import UnhandledErrorMiddleware
from .ratelimit.auth_failures import AuthFailureLimiter
from .ratelimit.gcra import GcraLimiter
from .resources import GatewayResources
from .routers import (
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
from .routers.ui import ui_router
from .settings import GatewaySettings
from .streaming.slots import StreamSlots
from .webhooks.store import WebhookStore
from .webhooks.worker import WebhookWorker

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


def build_resources(
    settings: GatewaySettings, metrics: GatewayMetrics, link: NatsLink, redis: Redis
) -> GatewayResources:
    # PQ_QUERY_URL may list several query replicas, comma-separated.
    query_http = FailoverUpstream(
        [
            AiohttpUpstream(
                url,
                max_connections=settings.query_max_connections,
                timeout_s=settings.query_timeout_s,
            )
            for url in settings.query_urls()
        ]
    )
    timeout_s = settings.nats_publish_timeout_s
    key_store = KvApiKeyStore(link.jetstream, replicas=settings.kv_replicas, timeout_s=timeout_s)
    rate_limiter = GcraLimiter(redis)
    return GatewayResources(
        settings=settings,
        metrics=metrics,
        nats=link,
        commands=JetStreamCommandPublisher(link, timeout_s=timeout_s),
        query_http=query_http,
        query=QueryForwarder(query_http),
        redis=redis,
        watchlist=KvWatchlist(link, replicas=settings.kv_replicas, timeout_s=timeout_s),
        schedules=KvSchedules(link, replicas=settings.kv_replicas, timeout_s=timeout_s),
        stream_status=KvStreamStatus(link, timeout_s=timeout_s),
        pending_jobs=PendingJobs(redis, ttl_s=settings.pending_job_ttl_s),
        authenticator=ApiKeyAuthenticator(
            key_store, pepper=settings.api_key_pepper, cache_s=settings.api_key_cache_s
        ),
        rate_limiter=rate_limiter,
        auth_failures=AuthFailureLimiter(rate_limiter, settings.rate_limit_auth_failures),
        idempotency=IdempotencyStore(
            redis, ttl_s=settings.idempotency_ttl_s, lease_s=settings.idempotency_lease_s
        ),
        webhooks=WebhookStore(link, replicas=settings.kv_replicas, timeout_s=timeout_s),
        stream_slots=StreamSlots(
            per_key=settings.sse_max_streams_per_key, total=settings.sse_max_streams
        ),
    )


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    metrics_registry = GatewayMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_level, json=settings.log_json, service=settings.service_name)
        configure_tracing(settings.service_name, settings)
        if settings.auth_disabled:
            log.warning("AUTH IS DISABLED (PQ_AUTH_DISABLED=true): every /v1 route is open")
        link = NatsLink(settings.nats_url, identity=settings.nats_identity)
        redis = Redis.from_url(
            settings.redis_url,
            socket_connect_timeout=settings.dependency_probe_timeout_s,
            socket_timeout=settings.dependency_probe_timeout_s,
            **settings.redis_options(),
        )
        await link.start()
        resources = build_resources(settings, metrics_registry, link, redis)
        app.state.resources = resources
        worker = WebhookWorker(link, resources.webhooks, settings, metrics_registry)
        app.state.webhook_worker = worker
        if settings.webhooks_enabled:
            worker.start()
        try:
            yield
        finally:
            await worker.stop()
            await resources.query_http.aclose()
            await redis.aclose()
            await link.close()
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
