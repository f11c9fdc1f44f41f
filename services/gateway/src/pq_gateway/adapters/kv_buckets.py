"""The KV buckets the gateway uses, and how they are opened.

PQ_WATCHLIST is owned by the gateway (created here, with the config below);
PQ_STREAM_STATUS is owned by ingest-stream (the gateway only reads it); PQ_SCHEDULES is
shared with ingest-history (whoever opens it first creates it, with
pq_runtime.messaging.shared_buckets: one definition, so the two creates never differ).
See services/gateway/README.md for the value schemas.
"""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, StorageType
from nats.js.errors import BucketNotFoundError
from nats.js.kv import KeyValue

from pq_runtime.messaging.kv_listing import live_entries

WATCHLIST_BUCKET = "PQ_WATCHLIST"
STREAM_STATUS_BUCKET = "PQ_STREAM_STATUS"


def watchlist_config(replicas: int) -> KeyValueConfig:
    # history=1: the watchlist is current state; delete markers tell watchers what left.
    return KeyValueConfig(
        bucket=WATCHLIST_BUCKET,
        description="Live watchlist: symbols the ingest-stream shards subscribe",
        history=1,
        storage=StorageType.FILE,
        replicas=replicas,
    )


async def open_or_create(js: JetStreamContext, config: KeyValueConfig) -> KeyValue:
    try:
        return await js.key_value(config.bucket)
    except BucketNotFoundError:
        # Two gateways racing here is fine: creating with an identical config is idempotent.
        return await js.create_key_value(config)


async def open_existing(js: JetStreamContext, bucket: str) -> KeyValue | None:
    try:
        return await js.key_value(bucket)
    except BucketNotFoundError:
        return None


# Listings (a short-lived watcher whose consumer is deleted afterwards) are shared with
# the other services' background listings.
__all__ = ["live_entries", "open_existing", "open_or_create", "watchlist_config"]
