"""Which shards are alive, judged from their PQ_STREAM_STATUS entries (pq_domain.ShardStatus)."""

from __future__ import annotations

from pq_domain.shard_status import ShardStatus


def live_members(statuses: list[ShardStatus], *, now_ms: int, ttl_s: float) -> frozenset[str]:
    """Shards whose last heartbeat is at most `ttl_s` old: the others count as dead."""
    oldest = now_ms - round(ttl_s * 1000)
    return frozenset(s.shard for s in statuses if s.updated_at >= oldest)
