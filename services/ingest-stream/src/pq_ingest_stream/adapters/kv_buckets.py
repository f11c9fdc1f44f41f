"""The KV buckets ingest-stream uses, and how they are opened or created.

| bucket | owner | key | value |
|---|---|---|---|
| `PQ_WATCHLIST` | gateway (we only watch it) | symbol tokens | `{"symbol","added_at"}` |
| `PQ_STREAM_STATUS` | ingest-stream | shard id | ShardStatus payload |
| `PQ_STREAM_CURSORS` | ingest-stream | symbol tokens | `{"symbol","last_quote_ts",...}` |

Keys are `pq_domain.subject_tokens.symbol_tokens(symbol)`; they may hold `~` and `!`, valid
subject characters outside nats-py's key pattern, hence `validate_keys=False` everywhere.
"""

from __future__ import annotations

import asyncio

from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, StorageType
from nats.js.errors import BucketNotFoundError
from nats.js.kv import KeyValue

from pq_domain import Symbol
from pq_domain.subject_tokens import symbol_from_tokens, symbol_tokens

WATCHLIST_BUCKET = "PQ_WATCHLIST"
STATUS_BUCKET = "PQ_STREAM_STATUS"
CURSORS_BUCKET = "PQ_STREAM_CURSORS"


def symbol_key(symbol: Symbol) -> str:
    return symbol_tokens(symbol)


def symbol_of_key(key: str) -> Symbol:
    exchange, code = key.split(".", 1)  # escaped tokens never hold a dot
    return symbol_from_tokens(exchange, code)


def status_config(*, ttl_s: float, replicas: int) -> KeyValueConfig:
    # The bucket TTL makes a dead shard's entry vanish server-side (the gateway stops
    # showing it), whatever the clocks of the machines say.
    return KeyValueConfig(
        bucket=STATUS_BUCKET,
        description="ingest-stream shards: heartbeat and quote session state, one key per shard",
        history=1,
        ttl=ttl_s,
        storage=StorageType.FILE,
        replicas=replicas,
    )


def cursors_config(*, ttl_s: float, replicas: int) -> KeyValueConfig:
    # Cursors older than the longest gap we would fill are useless: let them expire.
    return KeyValueConfig(
        bucket=CURSORS_BUCKET,
        description="ingest-stream: newest quote time per symbol, where backfills start",
        history=1,
        ttl=ttl_s,
        storage=StorageType.FILE,
        replicas=replicas,
    )


async def open_or_create(js: JetStreamContext, config: KeyValueConfig) -> KeyValue:
    try:
        return await js.key_value(config.bucket)
    except BucketNotFoundError:
        # Shards racing here is fine: creating with an identical config is idempotent.
        return await js.create_key_value(config)


async def open_when_created(js: JetStreamContext, bucket: str, *, retry_s: float) -> KeyValue:
    """Wait for a bucket another service creates (the gateway creates PQ_WATCHLIST)."""
    while True:
        try:
            return await js.key_value(bucket)
        except BucketNotFoundError:
            await asyncio.sleep(retry_s)
