"""Rate limits counted in Redis ahead of need: a busy key's cells are leased a few at a time
and spent in this process, so most of its requests cost no Redis round trip.

Redis (gcra.py) stays the one count all replicas share: a cell is served only after Redis
counted it, so over time no key gets more than its policy. A replica leases at most
`cap` cells of a key at a time, cap = min(PQ_RATE_LIMIT_LEASE_MAX, the cells the policy
regenerates in LEASE_S): 20 for the default reads policy 1200/60, 1 (no lease: every
request is counted on its own, as before) for writes 60/60, streams 10/60 and any policy
of fewer than one request per second. The bounds this costs:
- a leased cell is served within LEASE_S of being counted, so in any one window a key may
  be served up to `cap` more per replica than Redis allowed in that window (the cells
  counted just before it), never more over time;
- cells not served within LEASE_S are dropped: the key loses them (stricter, never looser).
  A lease starts at one cell, doubles only while the key asks again before its lease ends,
  and halves when cells were dropped, so a sparse caller costs one cell per request;
- RateLimit headers are computed here from Redis's last answer, this replica's unserved
  cells and the time since; they are exact for one replica and leave out what other
  replicas served since (at most LEASE_S old).
Only one lease per key is fetched at a time: requests of the key that come meanwhile wait
for it and take its cells (refused with it when Redis refused it).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .gcra import GcraLimiter, RateDecision
from .policy import LimitClass, RateSpec

LEASE_S = 1.0
_MAX_KEYS = 10_000  # bounds memory under a flood of keys; a dropped lease loses its cells


@dataclass(slots=True)
class _Lease:
    size: int = 1  # cells the next lease asks for
    left: int = 0  # leased cells not served yet
    until: float = 0.0  # on the clock: unserved cells are dropped then
    taken_at: float = 0.0
    remaining: int = 0  # Redis's remaining right after the lease
    reset_ms: int = 0  # Redis's TAT - now right after the lease
    fetch: _Fetch | None = None  # the lease being fetched; other requests of the key wait


@dataclass(slots=True)
class _Fetch:
    done: asyncio.Event = field(default_factory=asyncio.Event)
    refusal: RateDecision | None = None  # Redis refused: so are the requests waiting
    failed: bool = False


class LeasedLimiter:
    def __init__(
        self, gcra: GcraLimiter, *, max_lease: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._gcra = gcra
        self._max_lease = max_lease
        self._clock = clock
        self._leases: dict[str, _Lease] = {}

    def cap(self, policy: RateSpec) -> int:
        """The most cells of a key this replica may hold at once under `policy`."""
        regenerated = math.floor(policy.count * LEASE_S / policy.window_s)
        return max(1, min(self._max_lease, regenerated))

    async def check(self, identity: str, route_class: LimitClass, policy: RateSpec) -> RateDecision:
        """Count one request of `identity`, from a lease when one has a cell left; raises
        the Redis client's errors (only when Redis is asked)."""
        cap = self.cap(policy)
        if cap == 1:
            return await self._gcra.check(identity, route_class, policy)
        key = f"{route_class}:{identity}"
        while True:
            now = self._clock()
            lease = self._leases.get(key) or self._new(key, now)
            if lease.left > 0 and now < lease.until:
                lease.left -= 1
                return _decision(lease, route_class, policy, now)
            fetch = lease.fetch
            if fetch is None:
                return await self._lease(lease, identity, route_class, policy, cap)
            await fetch.done.wait()  # the one in flight, then a cell of it if one is left
            if fetch.refusal is not None:
                return fetch.refusal
            if fetch.failed:
                return await self._gcra.check(identity, route_class, policy)

    async def _lease(
        self, lease: _Lease, identity: str, route_class: LimitClass, policy: RateSpec, cap: int
    ) -> RateDecision:
        now = self._clock()
        if lease.left > 0:  # cells dropped: the key asks less often than it leases
            lease.size = max(1, lease.size // 2)
        elif now < lease.until:  # spent before its end: the key asks for more
            lease.size = min(cap, lease.size * 2)
        lease.left = 0
        fetch = lease.fetch = _Fetch()
        try:
            grant = await self._gcra.take(identity, route_class, policy, min(lease.size, cap))
        except BaseException:
            fetch.failed = True  # the waiters ask on their own
            raise
        finally:
            lease.fetch = None
            fetch.done.set()
        if not grant.granted:
            fetch.refusal = grant.decision
            return grant.decision
        now = self._clock()
        lease.left = grant.granted - 1
        lease.taken_at = now
        lease.until = now + LEASE_S
        lease.remaining = grant.decision.remaining
        lease.reset_ms = grant.reset_ms
        return _decision(lease, route_class, policy, now)

    def _new(self, key: str, now: float) -> _Lease:
        if len(self._leases) >= _MAX_KEYS:
            self._leases = {k: v for k, v in self._leases.items() if v.fetch or v.until > now}
            if len(self._leases) >= _MAX_KEYS:
                self._leases.clear()
        lease = self._leases[key] = _Lease()
        return lease


def _decision(lease: _Lease, route_class: LimitClass, policy: RateSpec, now: float) -> RateDecision:
    """What Redis would answer now had this replica not leased its unserved cells."""
    period_ms = policy.emission_interval_ms
    elapsed_ms = (now - lease.taken_at) * 1000.0
    regained = math.floor(elapsed_ms / period_ms)
    reset_ms = lease.reset_ms - lease.left * period_ms - elapsed_ms
    return RateDecision(
        allowed=True,
        route_class=route_class,
        policy=policy,
        remaining=min(policy.count - 1, lease.remaining + lease.left + regained),
        retry_after_s=0,
        reset_s=max(0, math.ceil(reset_ms / 1000)),
    )
