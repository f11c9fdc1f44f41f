"""Failed authentications per client address: GCRA in Redis, `PQ_RATE_LIMIT_AUTH_FAILURES`.

Each request that presents a malformed, unknown or revoked key spends one unit of its
address's budget (a request without a key guesses nothing and spends none; a valid key
never does). Once the budget is spent, the address's requests with a wrong key are
refused with 429 until `Retry-After`; a request with a valid key is never refused, so a
guesser behind a shared address (an Ingress, a NAT) locks out nobody else. Keys are
256-bit random secrets: the budget bounds the guessing rate, not the odds. The refusal
is remembered in-process until then, so a locked-out address costs no Redis round trip.
While Redis is unreachable, failures are counted in this process instead
(`PQ_AUTH_FAILURES_FAIL_CLOSED`, on in production) or not at all.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace

from .gcra import GcraLimiter, RateDecision
from .local_gcra import LocalGcraLimiter
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
        self._local = LocalGcraLimiter(clock=clock)

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
        return self._remember(address, decision)

    def record_failure_locally(self, address: str) -> RateDecision:
        """The same, counted in this process (Redis unreachable, failing closed)."""
        return self._remember(address, self._local.check(address, "auth_failures", self._policy))

    def _remember(self, address: str, decision: RateDecision) -> RateDecision:
        if not decision.allowed:
            if len(self._locked) >= _MAX_LOCKED:
                self._locked.clear()  # crude but bounded; Redis still holds every budget
            self._locked[address] = (self._clock() + decision.retry_after_s, decision)
        return decision
