"""Build the gateway's running parts (inside the app's lifespan): NATS, Redis, the query
upstream, the stores and the webhook worker. Nothing is built at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis

from .adapters.command_publisher import JetStreamCommandPublisher
from .adapters.http1_upstream import Http1Upstream
from .adapters.nats_link import NatsLink
from .adapters.pending_jobs import PendingJobs
from .adapters.query_forwarder import QueryForwarder
from .adapters.revalidated_reads import RevalidatedReads
from .adapters.schedules import KvSchedules
from .adapters.stream_status import KvStreamStatus
from .adapters.upstream_pool import FailoverUpstream
from .adapters.watchlist import KvWatchlist
from .auth.authenticator import ApiKeyAuthenticator
from .auth.store import KvApiKeyStore
from .idempotency.store import IdempotencyStore
from .metrics import GatewayMetrics
from .ratelimit.auth_failures import AuthFailureLimiter
from .ratelimit.gcra import GcraLimiter
from .ratelimit.leases import LeasedLimiter
from .resources import GatewayResources
from .settings import GatewaySettings
from .streaming.slots import StreamSlots
from .webhooks.store import WebhookStore
from .webhooks.worker import WebhookWorker


@asynccontextmanager
async def running_gateway(
    settings: GatewaySettings, metrics: GatewayMetrics
) -> AsyncIterator[tuple[GatewayResources, WebhookWorker]]:
    link = NatsLink(settings.nats_url, identity=settings.nats_identity)
    redis = Redis.from_url(
        settings.redis_url,
        socket_connect_timeout=settings.dependency_probe_timeout_s,
        socket_timeout=settings.dependency_probe_timeout_s,
        **settings.redis_options(),
    )
    await link.start()
    resources = build_resources(settings, metrics, link, redis)
    worker = WebhookWorker(link, resources.webhooks, settings, metrics)
    if settings.webhooks_enabled:
        worker.start()
    try:
        yield resources, worker
    finally:
        await worker.stop()
        await resources.query.aclose()  # fetches still shared by waiting reads
        await resources.query_http.aclose()
        await redis.aclose()
        await link.close()


def build_resources(
    settings: GatewaySettings, metrics: GatewayMetrics, link: NatsLink, redis: Redis
) -> GatewayResources:
    # PQ_QUERY_URL may list several query replicas, comma-separated.
    query_http = FailoverUpstream(
        [
            Http1Upstream(
                url,
                max_connections=settings.query_max_connections,
                timeout_s=settings.query_timeout_s,
            )
            for url in settings.query_urls()
        ]
    )
    timeout_s = settings.nats_publish_timeout_s
    key_store = KvApiKeyStore(link.jetstream, replicas=settings.kv_replicas, timeout_s=timeout_s)
    gcra = GcraLimiter(redis)
    return GatewayResources(
        settings=settings,
        metrics=metrics,
        nats=link,
        commands=JetStreamCommandPublisher(link, timeout_s=timeout_s),
        query_http=query_http,
        query=QueryForwarder(query_http, _kept_reads(settings)),
        redis=redis,
        watchlist=KvWatchlist(link, replicas=settings.kv_replicas, timeout_s=timeout_s),
        schedules=KvSchedules(link, replicas=settings.kv_replicas, timeout_s=timeout_s),
        stream_status=KvStreamStatus(link, timeout_s=timeout_s),
        pending_jobs=PendingJobs(redis, ttl_s=settings.pending_job_ttl_s),
        authenticator=ApiKeyAuthenticator(
            key_store, pepper=settings.api_key_pepper, cache_s=settings.api_key_cache_s
        ),
        rate_limiter=LeasedLimiter(gcra, max_lease=settings.rate_limit_lease_max),
        # Failed authentications are counted one by one: their budget is small.
        auth_failures=AuthFailureLimiter(gcra, settings.rate_limit_auth_failures),
        idempotency=IdempotencyStore(
            redis, ttl_s=settings.idempotency_ttl_s, lease_s=settings.idempotency_lease_s
        ),
        webhooks=WebhookStore(link, replicas=settings.kv_replicas, timeout_s=timeout_s),
        stream_slots=StreamSlots(
            per_key=settings.sse_max_streams_per_key, total=settings.sse_max_streams
        ),
    )


def _kept_reads(settings: GatewaySettings) -> RevalidatedReads | None:
    return (
        RevalidatedReads(settings.read_cache_max_bytes) if settings.read_cache_max_bytes else None
    )
