"""The KV buckets the gateway uses, and how they are opened.

PQ_WATCHLIST is owned by the gateway (created here, with the config below);
PQ_STREAM_STATUS is owned by ingest-stream (the gateway only reads it).
See services/gateway/README.md for the value schemas.
"""

from __future__ import annotations

import asyncio

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


async def live_entries(kv: KeyValue, timeout_s: float) -> list[KeyValue.Entry]:
    """Every live (not deleted) entry of the bucket, read through a short-lived watcher."""
    watcher = await kv.watchall(ignore_deletes=True)
    entries: list[KeyValue.Entry] = []
    try:
        async with asyncio.timeout(timeout_s):
            async for entry in watcher:
                if entry is None:  # the watcher's "initial values delivered" marker
                    break
                entries.append(entry)
    finally:
        await watcher.stop()  # type: ignore[no-untyped-call]  # untyped in nats-py
    return entries
