"""PQ_STREAM_STATUS: write this shard's entry, read every shard's, remove ours on exit."""

from __future__ import annotations

import structlog
from nats.js.kv import KeyValue

from pq_domain.shard_status import ShardStatus
from pq_runtime.codec import CodecError, decode, encode
from pq_runtime.messaging.kv import live_entries

log = structlog.get_logger(__name__)


class KvStatusBoard:
    def __init__(self, kv: KeyValue, *, timeout_s: float = 5.0) -> None:
        self._kv = kv
        self._timeout_s = timeout_s

    async def put(self, status: ShardStatus) -> None:
        await self._kv.put(status.shard, encode(status.to_payload()), validate_keys=False)

    async def remove(self, shard: str) -> None:
        await self._kv.delete(shard, validate_keys=False)

    async def all(self) -> list[ShardStatus]:
        """Every live entry, read through a short-lived watcher (initial values only)."""
        entries = await live_entries(self._kv, self._timeout_s)  # deletes its consumer
        return [s for s in (_decode(e.value) for e in entries) if s is not None]


def _decode(value: bytes | None) -> ShardStatus | None:
    try:
        return ShardStatus.from_payload(decode(value or b""))
    except (CodecError, KeyError, TypeError, ValueError):
        log.warning("status.malformed_entry", value=value)
        return None
