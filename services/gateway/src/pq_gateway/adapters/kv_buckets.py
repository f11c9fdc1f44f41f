"""The KV buckets the gateway uses, and how they are opened.

PQ_WATCHLIST is owned by the gateway (created here, with the config below);
PQ_STREAM_STATUS is owned by ingest-stream (the gateway only reads it); PQ_SCHEDULES is
shared with ingest-history (whoever opens it first creates it, with
pq_runtime.messaging.shared_buckets: one definition, so the two creates never differ).
See services/gateway/README.md for the value schemas.
"""

from __future__ import annotations

import asyncio
import contextlib

from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, StorageType
from nats.js.errors import BucketNotFoundError
from nats.js.kv import KeyValue

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


# A listing's watcher is an ordered consumer on the server. nats-py's stop() only
# unsubscribes and the default inactivity threshold is 5 minutes, so frequent listings
# would pile consumers up until the server refuses new ones: delete it explicitly,
# with a short threshold as the backstop if the delete is lost.
LISTING_CONSUMER_INACTIVE_S = 5.0


async def live_entries(kv: KeyValue, timeout_s: float, keys: str = ">") -> list[KeyValue.Entry]:
    """Every live (not deleted) entry matching `keys`, read through a short-lived watcher."""
    watcher = await kv.watch(
        keys, ignore_deletes=True, inactive_threshold=LISTING_CONSUMER_INACTIVE_S
    )
    entries: list[KeyValue.Entry] = []
    try:
        async with asyncio.timeout(timeout_s):
            async for entry in watcher:
                if entry is None:  # the watcher's "initial values delivered" marker
                    break
                entries.append(entry)
    finally:
        await watcher.stop()  # type: ignore[no-untyped-call]  # untyped in nats-py
        await _delete_watch_consumer(kv, watcher)
    return entries


async def _delete_watch_consumer(kv: KeyValue, watcher: KeyValue.KeyWatcher) -> None:
    # nats-py exposes neither the stream nor the consumer name of a watcher publicly.
    sub = watcher._sub
    name = getattr(sub, "_consumer", None)
    if not name:
        return
    with contextlib.suppress(Exception):  # best effort: the inactivity threshold backs it up
        await kv._js.delete_consumer(kv._stream, name)
