"""Which shards are alive, and so which symbols this one owns.

Static (PQ_SHARD_INDEX/PQ_SHARD_COUNT): fixed, heartbeats only feed the status page.
Dynamic: the live members are the PQ_STREAM_STATUS entries refreshed within the TTL; a
symbol belongs to the member that wins rendezvous hashing. A dead member's entry ages out
and its symbols move to the survivors at their next heartbeat.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from pq_domain.shard_status import ShardStatus

from ..model.shard_assignment import Assignment, RendezvousShards, StaticShards
from ..model.shard_status import live_members
from .gap_backfiller import wall_ms


class ShardMembership:
    def __init__(
        self,
        me: str,
        *,
        static: StaticShards | None,
        ttl_s: float,
        now_ms: Callable[[], int] = wall_ms,
    ) -> None:
        self.me = me
        self._static = static
        self._ttl_s = ttl_s
        self._now_ms = now_ms
        self.members: frozenset[str] = frozenset({me})
        self.updated_at: float | None = None  # monotonic time of the last update

    @property
    def is_static(self) -> bool:
        return self._static is not None

    def assignment(self) -> Assignment:
        if self._static is not None:
            return self._static
        return RendezvousShards(self.me, self.members)

    def update(self, statuses: list[ShardStatus]) -> bool:
        """Take the heartbeats just read; True when the live members changed."""
        self.updated_at = time.monotonic()
        if self._static is not None:
            return False
        members = live_members(statuses, now_ms=self._now_ms(), ttl_s=self._ttl_s) | {self.me}
        changed = members != self.members
        self.members = members
        return changed
