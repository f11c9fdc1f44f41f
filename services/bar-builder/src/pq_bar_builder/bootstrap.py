"""Build and run the service's parts: NATS, streams, store, ownership, workers, relay.

`async with running_service(settings, registry=...) as service:` — called by main.py's
lifespan and by in-process tests and the benchmark. Nothing is built at import time.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Protocol

import structlog
from nats.aio.client import Client
from prometheus_client import CollectorRegistry

from pq_domain.aggregation import SessionFor
from pq_runtime.background import BackgroundTasks
from pq_runtime.messaging import (
    OutboxRelay,
    RelaySettings,
    connect_nats,
    ensure_topology,
    topology_from,
)
from pq_runtime.stores.factory import Store
from pq_runtime.telemetry import RuntimeMetrics

from .adapters.factory import open_partition_state
from .adapters.instance_identity import instance_id
from .adapters.live_publisher import FormingBars, LiveBarPublisher
from .adapters.nats_lease_bucket import NatsLeaseBucket
from .adapters.partitioned_stream import PARTITIONED_STREAM, PartitionedStream, consumer_name
from .handlers.ownership.leases import PartitionLeases
from .handlers.ownership.static import StaticOwnership
from .handlers.ownership.supervisor import PartitionSupervisor
from .handlers.partition_worker import PartitionWorker
from .handlers.worker_deps import WorkerDeps, WorkerSettings
from .metrics import BarBuilderMetrics
from .ports import PartitionStateStore
from .settings import BarBuilderSettings

log = structlog.get_logger(__name__)
RELAY_LEASE_S = 5.0  # a killed instance's claimed outbox rows are free again this soon


class Ownership(Protocol):
    async def run(self) -> None: ...

    async def release_all(self) -> None: ...


@dataclass
class RunningService:
    instance_id: str
    nc: Client
    store: Store
    state: PartitionStateStore
    relay: OutboxRelay
    supervisor: PartitionSupervisor
    ownership: Ownership
    registry: CollectorRegistry
    tasks: BackgroundTasks = field(default_factory=BackgroundTasks)

    def failed_parts(self) -> list[str]:
        ended = self.tasks.ended() + [f"partition {p}" for p in self.supervisor.stopped()]
        return sorted(ended)


@contextlib.asynccontextmanager
async def running_service(
    settings: BarBuilderSettings,
    *,
    registry: CollectorRegistry | None = None,
    session_for: SessionFor | None = None,
) -> AsyncIterator[RunningService]:
    """`registry`: where the metrics go (the app's, served at /metrics); a new one if None."""
    nc = await connect_nats(
        settings.nats_url, name=settings.service_name, identity=settings.nats_identity
    )
    js = nc.jetstream()
    await ensure_topology(
        js,
        topology_from(settings),
    )
    await PartitionedStream(
        settings.partition_count,
        max_age_s=settings.partitioned_max_age_s,
        replicas=settings.stream_replicas,
        duplicate_window_s=settings.stream_duplicate_window_s,
    ).ensure(js)
    store, state = await open_partition_state(settings.store_url)
    runtime_metrics = RuntimeMetrics(registry)
    metrics = BarBuilderMetrics(runtime_metrics.registry)
    runtime_metrics.declare_outbox(store.outbox.name)
    me = instance_id(settings.instance_id, settings.http_port)

    def live(forming: FormingBars) -> LiveBarPublisher:
        return LiveBarPublisher(nc, forming, settings.live_bars_per_s, metrics.live_bars.inc)

    deps = WorkerDeps(
        js=js,
        store=state,
        aggregator=settings.aggregator_config(),
        settings=WorkerSettings(
            batch_size=settings.batch_size,
            fetch_timeout_s=settings.fetch_timeout_s,
            ack_wait_s=settings.ack_wait_s,
            clock_interval_s=settings.clock_interval_s,
        ),
        metrics=metrics,
        runtime_metrics=runtime_metrics,
        live=live if settings.live_bars_enabled else None,
        session_for=session_for,
        nc=nc,
    )
    supervisor = PartitionSupervisor(
        lambda p, fence: PartitionWorker(p, fence, deps), metrics.partitions_owned.set
    )
    ownership: Ownership
    static = settings.static_partitions()
    if static is None:
        bucket = await NatsLeaseBucket.open(
            js, ttl_s=settings.lease_ttl_s, replicas=settings.kv_replicas
        )
        ownership = PartitionLeases(
            bucket,
            supervisor,
            settings.partition_count,
            me,
            ttl_s=settings.lease_ttl_s,
            renew_s=settings.lease_renew_s,
        )
    else:
        ownership = StaticOwnership(supervisor, static, me)
        for p in static:  # leased partitions are declared by their worker, once taken
            runtime_metrics.declare_consumer(PARTITIONED_STREAM, consumer_name(p))
    relay = OutboxRelay(
        nc,
        store.outbox,
        RelaySettings(retention_s=settings.outbox_retention_s, lease_s=RELAY_LEASE_S),
        owner=me,
        metrics=runtime_metrics,
    )
    service = RunningService(
        me, nc, store, state, relay, supervisor, ownership, runtime_metrics.registry
    )
    service.tasks.start("ownership", ownership.run())
    service.tasks.start("relay", relay.run())
    log.info("bar_builder.started", instance=me, static_partitions=static)
    try:
        yield service
    finally:
        await _shutdown(service)


async def _shutdown(service: RunningService) -> None:
    # Workers first (each commits its batch in hand), so the relay's last round can still
    # publish what they committed; leases are freed for the other instances at once.
    await service.ownership.release_all()
    await service.tasks.stop("ownership", timeout_s=5.0, cancel=True)
    service.relay.stop()
    await service.tasks.stop("relay", timeout_s=5.0)
    await service.store.close()
    await service.nc.close()
