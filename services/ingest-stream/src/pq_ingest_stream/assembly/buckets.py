"""The KV buckets a shard writes: its status entry and its symbols' cursors."""

from __future__ import annotations

from nats.js import JetStreamContext

from pq_runtime.messaging.kv import open_or_create, stream_cursors_config, stream_status_config

from ..adapters.cursor_store import KvCursorStore
from ..adapters.status_board import KvStatusBoard
from ..settings import IngestStreamSettings


async def open_status_board(js: JetStreamContext, s: IngestStreamSettings) -> KvStatusBoard:
    config = stream_status_config(ttl_s=s.member_ttl_s, replicas=s.kv_replicas)
    return KvStatusBoard(await open_or_create(js, config))


async def open_cursors(js: JetStreamContext, s: IngestStreamSettings, shard: str) -> KvCursorStore:
    config = stream_cursors_config(ttl_s=s.max_backfill_s, replicas=s.kv_replicas)
    return KvCursorStore(await open_or_create(js, config), shard=shard)
