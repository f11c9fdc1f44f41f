"""The one table of who may use the bus (ARCHITECTURE.md, "Contract: who may use the bus").

Each role is a NATS identity: the subjects it publishes, the core subjects it subscribes,
the streams it reads (JetStream API scoped to them), the KV buckets it reads or writes and
the durable consumers it owns. `nats_permissions` turns a role into nats-server
publish/subscribe allow and deny lists; nothing else writes such lists by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from pq_domain.buckets import (
    API_KEYS,
    BAR_BUILDER_LEASES,
    SCHEDULES,
    STREAM_CURSORS,
    STREAM_STATUS,
    WATCHLIST,
    WEBHOOKS,
)
from pq_domain.subjects import (
    ALL_STREAMS,
    BARS_COMPLETED_ALL,
    BARS_SYNCED_ALL,
    LIVE_BARS_ALL,
    QUOTES_ALL,
    STREAM_BARS,
    STREAM_CMD,
    STREAM_JOBS,
    STREAM_QUOTES,
    SYMBOLS_META_ALL,
    SYNC_COMMAND,
    SYNC_JOB_EVENTS,
    dlq_subject,
)

# Service-private streams (not part of the public contract).
WEBHOOK_DELIVERIES = "PQ_WEBHOOK_DELIVERIES"
WEBHOOK_DELIVERIES_ALL = "pq.webhooks.deliveries.>"
QUOTES_PARTITIONED = "PQ_QUOTES_PARTITIONED"
CONTRACT_STREAMS = tuple(spec.name for spec in ALL_STREAMS)


@dataclass(frozen=True, slots=True)
class Role:
    """One identity. `streams`: JetStream streams it consumes or inspects; `manages`: streams
    whose configuration it ensures at start (create/update, never delete)."""

    name: str
    publishes: tuple[str, ...] = ()
    subscribes: tuple[str, ...] = ()
    streams: tuple[str, ...] = ()
    manages: tuple[str, ...] = ()
    reads_buckets: tuple[str, ...] = ()
    writes_buckets: tuple[str, ...] = ()
    durables: tuple[tuple[str, str], ...] = ()  # (stream, durable) this role owns
    may_delete_consumers: bool = True  # its own ephemeral and partition consumers
    # `$JS.API.CONSUMER.CREATE.<stream>` (no name in the subject: nats-py's unnamed
    # ephemerals) would let the caller name, and so reconfigure, any existing consumer.
    unnamed_consumers: bool = True

    @property
    def inbox_prefix(self) -> str:
        """A private reply prefix: no other identity may subscribe to it."""
        return f"_INBOX_{self.name}"


def _dlq(*streams: str) -> tuple[str, ...]:
    return tuple(dlq_subject(stream) for stream in streams)


GATEWAY = Role(
    "gateway",
    publishes=(SYNC_COMMAND, SYNC_JOB_EVENTS, WEBHOOK_DELIVERIES_ALL,
               *_dlq(STREAM_BARS.name, STREAM_JOBS.name, WEBHOOK_DELIVERIES)),
    # SSE: live quotes and bars, and job events (job.progress / job.done) as they happen.
    subscribes=(QUOTES_ALL, LIVE_BARS_ALL, SYNC_JOB_EVENTS),
    streams=(STREAM_CMD.name, STREAM_BARS.name, STREAM_JOBS.name, WEBHOOK_DELIVERIES),
    manages=(WEBHOOK_DELIVERIES,),
    reads_buckets=(STREAM_STATUS,),
    writes_buckets=(API_KEYS, WEBHOOKS, WATCHLIST, SCHEDULES),
    durables=(
        (STREAM_BARS.name, "gateway-webhooks-bars"),
        (STREAM_JOBS.name, "gateway-webhooks-jobs"),
    ),
)  # fmt: skip
INGEST_STREAM = Role(
    "ingest-stream",
    publishes=(QUOTES_ALL, SYNC_COMMAND),  # SyncRequested: backfill a gap after a reconnect
    streams=(STREAM_QUOTES.name,),
    manages=CONTRACT_STREAMS,
    reads_buckets=(WATCHLIST,),
    writes_buckets=(STREAM_STATUS, STREAM_CURSORS),
)
INGEST_HISTORY = Role(
    "ingest-history",
    publishes=(BARS_SYNCED_ALL, SYMBOLS_META_ALL, SYNC_JOB_EVENTS, SYNC_COMMAND,
               *_dlq(STREAM_CMD.name)),
    streams=(STREAM_CMD.name,),
    manages=CONTRACT_STREAMS,
    writes_buckets=(SCHEDULES,),
    durables=((STREAM_CMD.name, "ingest-history-sync"),),
)  # fmt: skip
BAR_BUILDER = Role(
    "bar-builder",
    publishes=(BARS_COMPLETED_ALL, LIVE_BARS_ALL, *_dlq(STREAM_QUOTES.name, QUOTES_PARTITIONED)),
    streams=(STREAM_QUOTES.name, QUOTES_PARTITIONED),
    manages=(*CONTRACT_STREAMS, QUOTES_PARTITIONED),
    writes_buckets=(BAR_BUILDER_LEASES,),
)
QUERY = Role(
    "query",
    publishes=_dlq(STREAM_BARS.name, STREAM_JOBS.name, STREAM_QUOTES.name),
    streams=(STREAM_BARS.name, STREAM_JOBS.name, STREAM_QUOTES.name),
    manages=CONTRACT_STREAMS,
    durables=(
        (STREAM_BARS.name, "query-bars"),
        (STREAM_JOBS.name, "query-jobs"),
        (STREAM_QUOTES.name, "query-quotes"),
    ),
)
SERVICE_ROLES: tuple[Role, ...] = (GATEWAY, INGEST_STREAM, INGEST_HISTORY, BAR_BUILDER, QUERY)

# Other systems: read the public streams and live bars, own durables of their own, nothing else.
CONSUMER_STREAMS = (STREAM_BARS.name, STREAM_QUOTES.name)
CONSUMER_SUBSCRIBES = ("pq.live.>",)
ADMIN = "admin"  # the embedded stack's operator identity (tests, `pq` tools): everything


def consumer_role(name: str) -> Role:
    return Role(
        name,
        subscribes=CONSUMER_SUBSCRIBES,
        streams=CONSUMER_STREAMS,
        may_delete_consumers=False,
        unnamed_consumers=False,
    )


def service_role(name: str) -> Role:
    for role in SERVICE_ROLES:
        if role.name == name:
            return role
    raise KeyError(f"no bus role {name!r}; known: {[r.name for r in SERVICE_ROLES]}")


def owned_durables(stream: str) -> tuple[str, ...]:
    """Durables on `stream` that our services own: other identities may not touch them."""
    return tuple(d for role in SERVICE_ROLES for s, d in role.durables if s == stream)
