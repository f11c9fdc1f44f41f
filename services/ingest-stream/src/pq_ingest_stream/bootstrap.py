"""Build and run the service's parts: NATS, KV buckets, the quote session and the loops.

`async with running_service(settings, registry=...) as service:` — called by main.py's
lifespan, and by tests that run several shards in one process. Nothing is built at
import time.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from dataclasses import dataclass, field
from typing import Any

import nats.errors
import structlog
from nats.aio.client import Client
from prometheus_client import CollectorRegistry

from pq_domain import Symbol
from pq_runtime.messaging import (
    SyncCommandPublisher,
    TopologySettings,
    connect_nats,
    ensure_topology,
)
from pq_tradingview import QuoteStream, TradingViewClient

from .adapters.cursor_store import KvCursorStore
from .adapters.kv_buckets import cursors_config, open_or_create, status_config
from .adapters.quote_publisher import QuotePublisher, flush_when_quiet
from .adapters.session_context import SessionContext
from .adapters.status_board import KvStatusBoard
from .domain.backfill_plan import BackfillPolicy
from .domain.gap_tracker import GapTracker
from .domain.last_quotes import LastQuotes
from .domain.shard_assignment import StaticShards
from .domain.token_bucket import TokenBucket
from .metrics import StreamMetrics
from .settings import IngestStreamSettings
from .workers.cursor_flusher import CursorFlusher
from .workers.gap_backfiller import GapBackfiller
from .workers.heartbeat import Heartbeat
from .workers.ownership_changes import OwnershipChanges
from .workers.quote_pump import QuotePump
from .workers.session_watch import SessionWatch
from .workers.shard_membership import ShardMembership
from .workers.status_reporter import StatusReporter
from .workers.subscription_keeper import SubscriptionKeeper
from .workers.watchlist_follower import WatchlistFollower

log = structlog.get_logger(__name__)


@dataclass
class RunningService:
    shard: str
    nc: Client
    stream: QuoteStream
    keeper: SubscriptionKeeper
    membership: ShardMembership
    backfiller: GapBackfiller
    publisher: QuotePublisher
    metrics: StreamMetrics
    tasks: dict[str, asyncio.Task[None]] = field(default_factory=dict)

    @property
    def registry(self) -> CollectorRegistry:
        return self.metrics.registry

    def failed_parts(self) -> list[str]:
        """Background loops that ended (they run until shutdown)."""
        return sorted(name for name, task in self.tasks.items() if task.done())


@contextlib.asynccontextmanager
async def running_service(
    settings: IngestStreamSettings, *, registry: CollectorRegistry | None = None
) -> AsyncIterator[RunningService]:
    """`registry`: where the metrics go (the app's, served at /metrics); a new one if None."""
    shard = settings.resolved_shard_id()
    nc = await connect_nats(
        settings.nats_url,
        name=f"{settings.service_name}-{shard}",
        identity=settings.nats_identity,
    )
    js = nc.jetstream()
    await ensure_topology(
        js,
        TopologySettings(
            replicas=settings.stream_replicas,
            duplicate_window_s=settings.stream_duplicate_window_s,
            quotes_max_age_s=settings.quotes_max_age_s,
            dlq_max_age_s=settings.dlq_max_age_s,
        ),
    )
    board = KvStatusBoard(
        await open_or_create(
            js, status_config(ttl_s=settings.member_ttl_s, replicas=settings.kv_replicas)
        )
    )
    cursors = KvCursorStore(
        await open_or_create(
            js, cursors_config(ttl_s=settings.max_backfill_s, replicas=settings.kv_replicas)
        ),
        shard=shard,
    )
    metrics = StreamMetrics(registry)
    tv = TradingViewClient(settings.tradingview())
    stream = tv.quote_stream(settings.quote_stream_options())
    stream.start()

    last_quotes = LastQuotes()
    loop = asyncio.get_running_loop()
    backfiller = GapBackfiller(
        GapTracker(settle_s=settings.gap_settle_s, max_open_s=settings.gap_max_open_s),
        BackfillPolicy(
            intervals=settings.intervals(),
            initial_window_ms=round(settings.initial_backfill_s * 1000),
            max_gap_ms=round(settings.max_backfill_s * 1000),
        ),
        SyncCommandPublisher(js),
        TokenBucket(
            rate=settings.backfill_rate_per_s, burst=settings.backfill_burst, now=loop.time()
        ),
        last_quotes,
        metrics,
        follow_up_delay_ms=round(settings.backfill_follow_up_delay_s * 1000),
        clock=loop.time,
    )
    static = None
    if settings.shard_index is not None and settings.shard_count is not None:
        static = StaticShards(settings.shard_index, settings.shard_count)
    membership = ShardMembership(shard, static=static, ttl_s=settings.member_ttl_s)
    keeper = SubscriptionKeeper(
        stream, membership.assignment, OwnershipChanges(cursors, backfiller, last_quotes), metrics
    )

    def owned() -> frozenset[Symbol]:
        return keeper.owned

    context = SessionContext(shard)
    publisher = QuotePublisher(
        js,
        context,
        metrics,
        batch_size=settings.publish_batch_size,
        ack_timeout_s=settings.publish_ack_timeout_s,
    )
    reporter = StatusReporter(shard, stream, owned, board)
    heartbeat = Heartbeat(
        reporter,
        board,
        membership,
        keeper,
        CursorFlusher(last_quotes, cursors, backfiller, owned),
        metrics,
        every_s=settings.heartbeat_s,
    )
    keeper.on_change = heartbeat.wake
    watch = SessionWatch(
        stream,
        owned,
        last_quotes,
        backfiller,
        context,
        metrics,
        on_change=heartbeat.wake,
        clock=loop.time,
    )
    follower = WatchlistFollower(js, keeper.set_watchlist, resync_s=settings.watchlist_resync_s)
    service = RunningService(shard, nc, stream, keeper, membership, backfiller, publisher, metrics)

    # Announce ourselves and learn the other members before taking any symbol, so that a
    # starting shard does not briefly claim the whole watchlist.
    with contextlib.suppress(nats.errors.Error, OSError, TimeoutError):
        await heartbeat.beat()
    jobs: dict[str, Coroutine[Any, Any, None]] = {
        "quotes": QuotePump(stream, publisher, last_quotes, owned, backfiller, metrics).run(),
        "acks": flush_when_quiet(publisher, settings.publish_linger_s),
        "session": watch.run(settings.session_poll_s),
        "backfill": backfiller.run(),
        "heartbeat": heartbeat.run(),
        "watchlist": follower.run(),
    }
    service.tasks = {name: asyncio.create_task(job, name=name) for name, job in jobs.items()}
    log.info("ingest_stream.started", shard=shard, static=static is not None)
    try:
        yield service
    finally:
        await _shutdown(service, tv, board, heartbeat)


async def _shutdown(
    service: RunningService, tv: TradingViewClient, board: KvStatusBoard, heartbeat: Heartbeat
) -> None:
    tasks = list(service.tasks.values())
    for task in tasks:
        task.cancel()
    _, stuck = await asyncio.wait(tasks, timeout=5.0)
    if stuck:  # never wait forever on shutdown: name what did not stop
        log.warning("shutdown.tasks_stuck", tasks=sorted(t.get_name() for t in stuck))
    await service.stream.stop()
    with contextlib.suppress(nats.errors.Error, OSError, TimeoutError):
        async with asyncio.timeout(5.0):
            await service.publisher.flush()  # the quotes in flight reach the stream
            await heartbeat.flush_cursors()
            await board.remove(service.shard)  # the others take our symbols at once
    await tv.close()
    await service.nc.close()
