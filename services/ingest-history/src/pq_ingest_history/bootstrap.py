"""Build and run the service's parts: NATS, store, TradingView client, consumer, relay, scheduler.

`async with running_service(settings) as service:` — called by main.py's lifespan (and by
tests that need several replicas in one process). Nothing is built at import time.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import structlog
from nats.aio.client import Client
from prometheus_client import CollectorRegistry

from pq_domain.subjects import STREAM_CMD, SYNC_COMMAND
from pq_runtime.background import BackgroundTasks
from pq_runtime.messaging import (
    BatchConsumer,
    ConsumerSpec,
    OutboxRelay,
    RelaySettings,
    SyncCommandPublisher,
    connect_nats,
    ensure_topology,
    topology_from,
)
from pq_runtime.stores import NoStore
from pq_runtime.stores.adapters.sqlite import SqliteStore
from pq_runtime.stores.factory import Store, open_store
from pq_runtime.stores.housekeeping import purge_inbox_periodically
from pq_runtime.telemetry import RuntimeMetrics
from pq_tradingview import TradingViewClient

from .adapters.mongo_jobs import MongoSyncJobs
from .adapters.schedules_bucket import KvScheduleBucket
from .adapters.sqlite_jobs import SCHEMA, SqliteSyncJobs
from .adapters.tradingview_history import TradingViewHistory
from .handlers.scheduler import Scheduler
from .handlers.sync_requested import SyncDeps, SyncRequestedHandler
from .metrics import SyncMetrics
from .model.retry_policy import RetryPolicy
from .ports import HistorySource
from .settings import IngestHistorySettings

log = structlog.get_logger(__name__)
SYNC_CONSUMER = "ingest-history-sync"  # one durable shared by every replica: a work queue


@dataclass
class RunningService:
    nc: Client
    store: Store
    consumer: BatchConsumer[Any]
    relay: OutboxRelay
    scheduler: Scheduler | None
    registry: CollectorRegistry
    tasks: BackgroundTasks = field(default_factory=BackgroundTasks)

    def failed_parts(self) -> list[str]:
        """Background loops that ended (they run until shutdown)."""
        return self.tasks.ended()


def sync_consumer_spec(settings: IngestHistorySettings) -> ConsumerSpec:
    return ConsumerSpec(
        stream=STREAM_CMD.name,
        durable=SYNC_CONSUMER,
        filter_subjects=(SYNC_COMMAND,),
        # One command at a time per replica: replicas share the queue evenly, and the
        # handler's transactions stay short (it opens its own: handlers/sync_requested.py).
        batch_size=1,
        max_ack_pending=1000,
        max_deliver=settings.sync_max_deliver,
        ack_wait_s=settings.sync_ack_wait_s,
        idempotency="natural_key",  # the handler checks and writes the inbox itself
    )


def _sync_handler(
    store: Store, history: HistorySource, settings: IngestHistorySettings, metrics: SyncMetrics
) -> SyncRequestedHandler[Any]:
    retry = RetryPolicy(
        settings.fetch_attempts, settings.fetch_backoff_initial_s, settings.fetch_backoff_max_s
    )
    keep_alive_s = max(0.5, settings.sync_ack_wait_s / 3)
    if isinstance(store, SqliteStore):
        return SyncRequestedHandler(
            SyncDeps(store, SqliteSyncJobs(), history, retry, keep_alive_s, metrics=metrics)
        )
    return SyncRequestedHandler(
        SyncDeps(store, MongoSyncJobs(), history, retry, keep_alive_s, metrics=metrics)
    )


@contextlib.asynccontextmanager
async def running_service(
    settings: IngestHistorySettings, registry: CollectorRegistry | None = None
) -> AsyncIterator[RunningService]:
    """`registry`: where the metrics go (the app's, served at /metrics); a new one if None."""
    async with contextlib.AsyncExitStack() as closing:  # closes what was opened, in reverse
        nc = await connect_nats(
            settings.nats_url, name=settings.service_name, identity=settings.nats_identity
        )
        closing.push_async_callback(nc.close)
        js = nc.jetstream()
        await ensure_topology(js, topology_from(settings))
        store = await open_store(settings.store_url)
        closing.push_async_callback(store.close)
        if isinstance(store, SqliteStore):
            await store.ensure_schema(SCHEMA)
        tv = TradingViewClient(settings.tradingview())
        closing.push_async_callback(tv.close)
        runtime_metrics = RuntimeMetrics(registry)
        sync_metrics = SyncMetrics(runtime_metrics.registry)
        runtime_metrics.declare_outbox(store.outbox.name)
        runtime_metrics.declare_consumer(STREAM_CMD.name, SYNC_CONSUMER)
        handler = _sync_handler(store, TradingViewHistory(tv), settings, sync_metrics)
        consumer: BatchConsumer[Any] = BatchConsumer(
            nc,
            NoStore(),
            sync_consumer_spec(settings),
            handler,
            metrics=runtime_metrics,
        )
        relay = OutboxRelay(
            nc,
            store.outbox,
            RelaySettings(retention_s=settings.outbox_retention_s),
            metrics=runtime_metrics,
        )
        scheduler = None
        if settings.scheduler_enabled:
            scheduler = Scheduler(
                await KvScheduleBucket.open(js, replicas=settings.kv_replicas),
                SyncCommandPublisher(js),
                tick_s=settings.scheduler_tick_s,
                on_fired=sync_metrics.schedules_fired.inc,
            )
        service = RunningService(nc, store, consumer, relay, scheduler, runtime_metrics.registry)
        await consumer.start()
        service.tasks.start("consumer", consumer.run())
        service.tasks.start("relay", relay.run())
        service.tasks.start(
            "housekeeping",
            purge_inbox_periodically(
                store,
                retention_s=settings.inbox_retention_s,
                interval_s=settings.inbox_purge_interval_s,
            ),
        )
        if scheduler is not None:
            service.tasks.start("scheduler", scheduler.run())
        closing.push_async_callback(_stop_workers, service)
        log.info("ingest_history.started", store=settings.store_url, tv=settings.tradingview_url)
        yield service


async def _stop_workers(service: RunningService) -> None:
    # Producers first, so the relay's last round can still publish what they committed.
    service.consumer.stop()
    if service.scheduler is not None:
        service.scheduler.stop()
    await service.tasks.stop("housekeeping", timeout_s=1.0, cancel=True)
    # The consumer finishes the command in hand (a fetch can take seconds); past the
    # deadline it is cancelled and the command redelivered to a replica, idempotently.
    await service.tasks.stop("consumer", "scheduler", timeout_s=10.0)
    service.relay.stop()
    await service.tasks.stop("relay", timeout_s=5.0)
