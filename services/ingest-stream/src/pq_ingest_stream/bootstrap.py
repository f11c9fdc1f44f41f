"""Build and run the service's parts: NATS, KV buckets, the quote session and the loops.

`async with running_service(settings, registry=...) as service:` — called by main.py's
lifespan, and by tests that run several shards in one process. Nothing is built at
import time.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import nats.errors
import structlog
from nats.aio.client import Client
from prometheus_client import CollectorRegistry

from pq_domain import Symbol
from pq_runtime.background import BackgroundTasks
from pq_runtime.messaging import connect_nats, ensure_topology, topology_from
from pq_tradingview import QuoteStream, TradingViewClient

from .adapters.quote_publisher import QuotePublisher, flush_when_quiet
from .adapters.session_context import SessionContext
from .adapters.status_board import KvStatusBoard
from .assembly.backfill import gap_backfiller
from .assembly.buckets import open_cursors, open_status_board
from .assembly.sharding import shard_membership, subscription_keeper
from .handlers.cursor_flusher import CursorFlusher
from .handlers.gap_backfiller import GapBackfiller
from .handlers.heartbeat import Heartbeat
from .handlers.quote_pump import QuotePump
from .handlers.session_watch import SessionWatch
from .handlers.shard_membership import ShardMembership
from .handlers.status_reporter import StatusReporter
from .handlers.subscription_keeper import SubscriptionKeeper
from .handlers.watchlist_follower import WatchlistFollower
from .metrics import StreamMetrics
from .model.last_quotes import LastQuotes
from .settings import IngestStreamSettings

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
    tasks: BackgroundTasks = field(default_factory=BackgroundTasks)

    @property
    def registry(self) -> CollectorRegistry:
        return self.metrics.registry

    def failed_parts(self) -> list[str]:
        """Background loops that ended (they run until shutdown)."""
        return self.tasks.ended()


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
    await ensure_topology(js, topology_from(settings))
    board = await open_status_board(js, settings)
    cursors = await open_cursors(js, settings, shard)
    metrics = StreamMetrics(registry)
    tv = TradingViewClient(settings.tradingview())
    stream = tv.quote_stream(settings.quote_stream_options())
    stream.start()

    loop = asyncio.get_running_loop()
    last_quotes = LastQuotes()
    backfiller = gap_backfiller(settings, js, last_quotes, metrics, loop.time)
    changed = asyncio.Event()  # a state change: the heartbeat reports at once
    membership = shard_membership(settings, shard)
    keeper = subscription_keeper(
        stream, membership, cursors, backfiller, last_quotes, metrics, on_change=changed.set
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
    heartbeat = Heartbeat(
        StatusReporter(shard, stream, owned, board),
        board,
        membership,
        keeper,
        CursorFlusher(last_quotes, cursors, backfiller, owned),
        metrics,
        every_s=settings.heartbeat_s,
        wake=changed,
    )
    watch = SessionWatch(
        stream, owned, last_quotes, backfiller, context, metrics, on_change=changed.set,
        clock=loop.time,
    )  # fmt: skip
    follower = WatchlistFollower(js, keeper.set_watchlist, resync_s=settings.watchlist_resync_s)
    service = RunningService(shard, nc, stream, keeper, membership, backfiller, publisher, metrics)

    # Announce ourselves and learn the other members before taking any symbol, so that a
    # starting shard does not briefly claim the whole watchlist.
    with contextlib.suppress(nats.errors.Error, OSError, TimeoutError):
        await heartbeat.beat()
    tasks = service.tasks
    tasks.start(
        "quotes", QuotePump(stream, publisher, last_quotes, owned, backfiller, metrics).run()
    )
    tasks.start("acks", flush_when_quiet(publisher, settings.publish_linger_s))
    tasks.start("session", watch.run(settings.session_poll_s))
    tasks.start("backfill", backfiller.run())
    tasks.start("heartbeat", heartbeat.run())
    tasks.start("watchlist", follower.run())
    log.info("ingest_stream.started", shard=shard, static=membership.is_static)
    try:
        yield service
    finally:
        await _shutdown(service, tv, board, heartbeat)


async def _shutdown(
    service: RunningService, tv: TradingViewClient, board: KvStatusBoard, heartbeat: Heartbeat
) -> None:
    await service.tasks.stop_all(timeout_s=5.0)
    await service.stream.stop()
    with contextlib.suppress(nats.errors.Error, OSError, TimeoutError):
        async with asyncio.timeout(5.0):
            await service.publisher.flush()  # the quotes in flight reach the stream
            await heartbeat.flush_cursors()
            await board.remove(service.shard)  # the others take our symbols at once
    await tv.close()
    await service.nc.close()
