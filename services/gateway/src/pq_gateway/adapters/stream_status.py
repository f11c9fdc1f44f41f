"""Per-shard quote-session status, read from the PQ_STREAM_STATUS KV bucket.

ingest-stream shards own the bucket and write one key per shard (README.md has the
schema); the gateway only reads it. A missing bucket means no shard has reported yet.
The value type is pq_domain's ShardStatus, the one ingest-stream writes.
"""

from __future__ import annotations

import nats.errors
import structlog

from pq_domain.buckets import STREAM_STATUS
from pq_domain.shard_status import ShardStatus
from pq_runtime.codec import CodecError, decode
from pq_runtime.messaging.kv import live_entries, open_existing

from ..api.problems import dependency_unavailable
from .nats_link import NatsLink

__all__ = ["KvStreamStatus", "ShardStatus"]  # routers name the value type through here

log = structlog.get_logger("pq_gateway.stream_status")


class KvStreamStatus:
    def __init__(self, link: NatsLink, *, timeout_s: float) -> None:
        self._link = link
        self._timeout_s = timeout_s

    async def shards(self) -> list[ShardStatus]:
        try:
            kv = await open_existing(self._link.jetstream(), STREAM_STATUS)
            stored = [] if kv is None else await live_entries(kv, self._timeout_s)
        except (nats.errors.Error, TimeoutError) as exc:
            log.warning("stream status bucket unavailable", error=repr(exc))
            raise dependency_unavailable("NATS", "the stream status is unreachable") from exc
        statuses = [s for s in (_decode(e.value) for e in stored) if s is not None]
        return sorted(statuses, key=lambda s: s.shard)


def _decode(value: bytes | None) -> ShardStatus | None:
    try:
        return ShardStatus.from_payload(decode(value or b""))
    except (CodecError, KeyError, TypeError, ValueError):
        log.warning("skipping a malformed shard status", value=value)
        return None
