"""Per-shard quote-session status, read from the PQ_STREAM_STATUS KV bucket.

ingest-stream shards own the bucket and write one key per shard (README.md has the
schema); the gateway only reads it. A missing bucket means no shard has reported yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import nats.errors
import structlog

from pq_runtime.codec import CodecError, decode

from ..problems import dependency_unavailable
from .kv_buckets import STREAM_STATUS_BUCKET, live_entries, open_existing
from .nats_link import NatsLink

log = structlog.get_logger("pq_gateway.stream_status")


@dataclass(frozen=True, slots=True)
class ShardStatus:
    shard: str
    connected: bool
    symbols: tuple[str, ...]
    last_quote_at: int | None  # epoch ms
    reconnects: int
    updated_at: int  # epoch ms

    @classmethod
    def from_payload(cls, p: dict[str, Any]) -> ShardStatus:
        last = p.get("last_quote_at")
        return cls(
            shard=str(p["shard"]),
            connected=bool(p["connected"]),
            symbols=tuple(str(s) for s in p.get("symbols", ())),
            last_quote_at=None if last is None else int(last),
            reconnects=int(p.get("reconnects", 0)),
            updated_at=int(p["updated_at"]),
        )


class KvStreamStatus:
    def __init__(self, link: NatsLink, *, timeout_s: float) -> None:
        self._link = link
        self._timeout_s = timeout_s

    async def shards(self) -> list[ShardStatus]:
        try:
            kv = await open_existing(self._link.jetstream(), STREAM_STATUS_BUCKET)
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
