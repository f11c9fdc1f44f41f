"""JetStream KV buckets: every bucket's config, opening them, and listing their entries.

Several services create the same bucket (whoever starts first); a create that meets the
bucket with another config fails, while an identical one is idempotent, so each config is
defined here once. Names and keys: pq_domain.buckets.
"""

from __future__ import annotations

import asyncio
import contextlib

from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, StorageType
from nats.js.errors import BucketNotFoundError
from nats.js.kv import KV_DEL, KV_PURGE, KeyValue

from pq_domain import buckets

# Listing consumers left behind by a lost delete expire after this (the backstop).
LISTING_CONSUMER_INACTIVE_S = 5.0


def _config(bucket: str, description: str, replicas: int, ttl_s: float = 0.0) -> KeyValueConfig:
    # history=1 everywhere: each bucket holds current state, the revision is all a CAS
    # needs, and delete markers tell watchers what left. File storage: revisions (fences,
    # leases) keep growing across a server restart.
    return KeyValueConfig(
        bucket=bucket,
        description=description,
        history=1,
        ttl=ttl_s or None,
        storage=StorageType.FILE,
        replicas=replicas,
    )


def api_keys_config(replicas: int) -> KeyValueConfig:
    return _config(buckets.API_KEYS, "Gateway API keys (hashed), managed with `pq keys`", replicas)


def webhooks_config(replicas: int) -> KeyValueConfig:
    return _config(buckets.WEBHOOKS, "Webhook registrations (with their signing secrets)", replicas)


def watchlist_config(replicas: int) -> KeyValueConfig:
    return _config(
        buckets.WATCHLIST, "Live watchlist: symbols the ingest-stream shards subscribe", replicas
    )


def schedules_config(replicas: int) -> KeyValueConfig:
    return _config(
        buckets.SCHEDULES,
        "Scheduled re-syncs: ingest-history fires them, the gateway edits them",
        replicas,
    )


def stream_status_config(*, ttl_s: float, replicas: int) -> KeyValueConfig:
    # The TTL makes a dead shard's entry vanish server-side, whatever the clocks say.
    return _config(
        buckets.STREAM_STATUS,
        "ingest-stream shards: heartbeat and quote session state, one key per shard",
        replicas,
        ttl_s,
    )


def stream_cursors_config(*, ttl_s: float, replicas: int) -> KeyValueConfig:
    # Cursors older than the longest gap we would fill are useless: let them expire.
    return _config(
        buckets.STREAM_CURSORS,
        "ingest-stream: newest quote time per symbol, where backfills start",
        replicas,
        ttl_s,
    )


def leases_config(
    *, ttl_s: float, replicas: int, bucket: str = buckets.BAR_BUILDER_LEASES
) -> KeyValueConfig:
    return _config(bucket, "bar-builder partition leases (fenced by revision)", replicas, ttl_s)


async def open_or_create(js: JetStreamContext, config: KeyValueConfig) -> KeyValue:
    try:
        return await js.key_value(config.bucket)
    except BucketNotFoundError:
        # Racing creators are fine: creating with an identical config is idempotent.
        return await js.create_key_value(config)


async def open_existing(js: JetStreamContext, bucket: str) -> KeyValue | None:
    try:
        return await js.key_value(bucket)
    except BucketNotFoundError:
        return None


async def open_when_created(js: JetStreamContext, bucket: str, *, retry_s: float) -> KeyValue:
    """Wait for a bucket another service creates (the gateway creates PQ_WATCHLIST)."""
    while True:
        try:
            return await js.key_value(bucket)
        except BucketNotFoundError:
            await asyncio.sleep(retry_s)


async def live_entries(
    kv: KeyValue, timeout_s: float, keys: str = ">", *, meta_only: bool = False
) -> list[KeyValue.Entry]:
    """Every live (not deleted) entry matching `keys` (the initial values only).

    A watcher is an ordered consumer on the server, and nats-py's `stop()` only
    unsubscribes: a listing every few seconds would pile up idle consumers for the
    default 5 minutes. So every listing deletes its consumer when done.

    The end of the listing is the entry the server sent with nothing pending after it
    (`delta == 0`, deletes included, so it is never skipped), not nats-py's "initial
    values delivered" marker: on a loaded client that marker can come before entries the
    server already sent (it compares the server's pending count, 0 once all are sent,
    with what the client has dispatched so far), and a listing ending there would be
    empty. The marker ends the listing only when the server delivered nothing at all.
    """
    watcher = await kv.watch(
        keys, meta_only=meta_only, inactive_threshold=LISTING_CONSUMER_INACTIVE_S
    )
    entries: list[KeyValue.Entry] = []
    try:
        async with asyncio.timeout(timeout_s):
            async for entry in watcher:
                if entry is None:
                    if await _delivered_nothing(watcher):
                        break
                    continue
                if entry.operation not in (KV_DEL, KV_PURGE):
                    entries.append(entry)
                if entry.delta == 0:
                    break
    finally:
        await close_watcher(kv, watcher)
    return entries


async def _delivered_nothing(watcher: KeyValue.KeyWatcher) -> bool:
    sub = watcher._sub
    assert sub is not None  # set by kv.watch before it returns the watcher
    info = await sub.consumer_info()
    return info.delivered is None or not info.delivered.consumer_seq


async def close_watcher(kv: KeyValue, watcher: KeyValue.KeyWatcher) -> None:
    """Unsubscribe and delete the watcher's consumer (best effort)."""
    await watcher.stop()  # type: ignore[no-untyped-call]  # untyped in nats-py
    # nats-py exposes neither the stream nor the consumer name of a watcher publicly.
    name = getattr(watcher._sub, "_consumer", None)
    if not name:
        return
    with contextlib.suppress(Exception):  # the inactivity threshold backs it up
        await kv._js.delete_consumer(kv._stream, name)
