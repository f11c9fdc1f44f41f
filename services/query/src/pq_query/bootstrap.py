"""Build the query service's running parts (inside the app's lifespan): read models,
Redis, NATS, the projections' consumers, the inbox purge and the rebuilder."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from typing import Any

import structlog
from redis.asyncio import Redis

from pq_runtime.background import BackgroundTasks
from pq_runtime.messaging import BatchConsumer, connect_nats, ensure_topology, topology_from
from pq_runtime.stores import NoStore
from pq_runtime.stores.housekeeping import purge_inbox_periodically

from .adapters.factory import open_read_models
from .adapters.redis.page_cache import BarPageCache
from .adapters.redis.quotes import LatestQuotes
from .handlers.bars import BarsProjection
from .handlers.consumers import ConsumerRunner, bars_spec, jobs_spec, quotes_spec
from .handlers.hooked_uow import HookedStore
from .handlers.jobs import JobsProjection
from .handlers.quotes import QuotesProjection
from .handlers.rebuild.rebuilder import BarsRebuilder
from .metrics import QueryMetrics
from .model.live_model import LiveBarModel
from .resources import QueryResources
from .settings import QuerySettings

log = structlog.get_logger(__name__)


async def start_query(
    s: QuerySettings, metrics: QueryMetrics, stack: AsyncExitStack
) -> QueryResources:
    models = await open_read_models(s)
    stack.push_async_callback(models.close)
    redis = Redis.from_url(
        s.redis_url, socket_timeout=0.5, socket_connect_timeout=0.5, **s.redis_options()
    )
    stack.push_async_callback(redis.aclose)
    nc = await connect_nats(s.nats_url, name=s.service_name, identity=s.nats_identity)
    stack.push_async_callback(nc.close)
    await ensure_topology(
        nc.jetstream(),
        topology_from(s),
    )
    live: LiveBarModel[Any] = LiveBarModel(models, await models.generations.live())
    cache = BarPageCache(redis, ttl_s=s.cache_ttl_s, metrics=metrics) if s.cache_enabled else None
    latest = LatestQuotes(redis)
    hooked = HookedStore(models.store)
    rt = metrics.runtime
    bars_projection: BarsProjection[Any] = BarsProjection(
        live.writer, on_committed=cache.invalidate if cache else None, metrics=metrics
    )
    runners = [
        ConsumerRunner(
            "bars", lambda: BatchConsumer(nc, hooked, bars_spec(s), bars_projection, metrics=rt)
        ),
        ConsumerRunner(
            "jobs",
            lambda: BatchConsumer(
                nc, hooked, jobs_spec(s), JobsProjection(models.jobs_writer, metrics), metrics=rt
            ),
        ),
        ConsumerRunner(
            "quotes",
            lambda: BatchConsumer(
                nc,
                NoStore(),
                quotes_spec(s),
                QuotesProjection(
                    latest, metrics, max_future_skew_ms=round(s.quote_max_future_skew_s * 1000)
                ),
                metrics=rt,
            ),
        ),
    ]
    for spec in (bars_spec(s), jobs_spec(s), quotes_spec(s)):
        rt.declare_consumer(spec.stream, spec.durable)
    for runner in runners:
        runner.start()

    async def stop_runners() -> None:
        # Together: each waits out its consumer's idle fetch, which adds up one by one.
        await asyncio.gather(*(runner.stop() for runner in runners))

    stack.push_async_callback(stop_runners)
    # The bars and jobs consumers' inbox would grow without bound: forget old event ids.
    tasks = BackgroundTasks()
    tasks.start(
        "inbox-purge",
        purge_inbox_periodically(
            models, retention_s=s.inbox_retention_s, interval_s=s.inbox_purge_interval_s
        ),
    )
    stack.push_async_callback(tasks.stop_all, timeout_s=5.0)
    for runner in runners:  # serve once the durables exist (quotes: deliver-new from here)
        if not await runner.wait_subscribed(timeout_s=5.0):
            log.warning("consumer.not_subscribed_at_start", consumer=runner.name)
    rebuilder: BarsRebuilder[Any] = BarsRebuilder(
        nc, models, live, runners[0], fetch_batch=s.rebuild_fetch_batch
    )
    consumers = {runner.name: runner for runner in runners}
    return QueryResources(s, models, live, cache, latest, redis, nc, metrics, rebuilder, consumers)
