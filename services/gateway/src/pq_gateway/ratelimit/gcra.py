"""GCRA (generic cell rate algorithm) in Redis: one atomic Lua script per decision.

Each limiter key holds the TAT, the "theoretical arrival time" of the next request. A
request at `now` is allowed when `max(TAT, now) + T - tau <= now`, where T = window/count
and tau = window: up to `count` requests at once, then one every T. The clock is Redis's
own (`TIME`), so every gateway replica decides on the same timeline. The script is sent
once and then called by SHA (EVALSHA): one round trip per decision. It can grant up to
`want` cells at once, as many as conform now (a lease, ratelimit/leases.py); with
`want` = 1 it is the plain GCRA decision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from redis.asyncio import Redis

from .policy import LimitClass, RateSpec

GCRA_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local period = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local want = tonumber(ARGV[3] or 1)
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local allow_at = tat + period - tolerance
if now < allow_at then
  return {0, 0, math.ceil(allow_at - now), math.ceil(tat - now)}
end
local granted = math.min(want, 1 + math.floor((now - allow_at) / period + 1e-9))
local new_tat = tat + granted * period
redis.call('SET', KEYS[1], string.format('%.3f', new_tat), 'PX', math.ceil(new_tat - now))
local remaining = math.floor((now - (new_tat - tolerance)) / period + 1e-9)
return {granted, remaining, 0, math.ceil(new_tat - now)}
"""


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    route_class: LimitClass
    policy: RateSpec
    remaining: int
    retry_after_s: int  # 0 when allowed
    reset_s: int  # until the full burst is available again

    def headers(self) -> list[tuple[bytes, bytes]]:
        """`RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers)."""
        name = self.route_class
        return [
            (
                b"ratelimit-policy",
                f'"{name}";q={self.policy.count};w={self.policy.window_s:g}'.encode(),
            ),
            (b"ratelimit", f'"{name}";r={self.remaining};t={self.reset_s}'.encode()),
        ]


class GcraLimiter:
    def __init__(self, redis: Redis) -> None:
        self._script = redis.register_script(GCRA_SCRIPT)

    async def check(self, identity: str, route_class: LimitClass, policy: RateSpec) -> RateDecision:
        """Count one request of `identity`; raises the Redis client's errors."""
        return (await self.take(identity, route_class, policy, 1)).decision

    async def take(
        self, identity: str, route_class: LimitClass, policy: RateSpec, want: int
    ) -> Grant:
        """Count up to `want` requests of `identity` at once, as many as its budget allows
        now (none: refused); the decision's remaining and reset are after all of them.
        Raises the Redis client's errors."""
        granted, remaining, retry_ms, reset_ms = await self._script(
            keys=[f"pq:rl:{route_class}:{identity}"],
            args=[policy.emission_interval_ms, policy.tolerance_ms, want],
        )
        allowed = int(granted) > 0
        decision = RateDecision(
            allowed=allowed,
            route_class=route_class,
            policy=policy,
            remaining=int(remaining),
            retry_after_s=max(1, math.ceil(int(retry_ms) / 1000)) if not allowed else 0,
            reset_s=max(0, math.ceil(int(reset_ms) / 1000)),
        )
        return Grant(int(granted), int(reset_ms), decision)


@dataclass(frozen=True, slots=True)
class Grant:
    """What one `take` counted: `granted` cells (0: refused), the key's TAT `reset_ms`
    after them, and the decision as Redis saw it (every granted cell spent)."""

    granted: int
    reset_ms: int
    decision: RateDecision
