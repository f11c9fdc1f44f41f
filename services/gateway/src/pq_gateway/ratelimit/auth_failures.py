"""Failed authentications per client address: GCRA in Redis, `PQ_RATE_LIMIT_AUTH_FAILURES`.

Each request that presents a malformed, unknown or revoked key spends one unit of its
address's budget (a request without a key guesses nothing and spends none; a valid key
never does). Once the budget is spent, the address's requests are refused with 429
before their key is checked, until `Retry-After`: were the key still checked, a right
guess would still be answered and the limit would bound nothing. The refusal is
remembered in-process until then, so a locked-out address costs neither a Redis round
trip nor a key-store lookup per request, and valid keys pay one dict lookup.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace

from .gcra import GcraLimiter, RateDecision
from .policy import RateSpec

_MAX_LOCKED = 10_000  # bounds memory under a flood from many addresses


class AuthFailureLimiter:
    def __init__(
        self,
        limiter: GcraLimiter,
        policy: RateSpec,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limiter = limiter
        self._policy = policy
        self._clock = clock
        self._locked: dict[str, tuple[float, RateDecision]] = {}

    def locked_out(self, address: str) -> RateDecision | None:
        """The refusal in force for `address` (its Retry-After counted down), else None."""
        entry = self._locked.get(address)
        if entry is None:
            return None
        until, decision = entry
        left_s = until - self._clock()
        if left_s <= 0:
            del self._locked[address]
            return None
        return replace(decision, retry_after_s=max(1, math.ceil(left_s)))

    async def record_failure(self, address: str) -> RateDecision:
        """Spend one unit of `address`'s budget; raises the Redis client's errors."""
        decision = await self._limiter.check(f"ip:{address}", "auth_failures", self._policy)
        if not decision.allowed:
            if len(self._locked) >= _MAX_LOCKED:
                self._locked.clear()  # crude but bounded; Redis still holds every budget
            self._locked[address] = (self._clock() + decision.retry_after_s, decision)
        return decision
