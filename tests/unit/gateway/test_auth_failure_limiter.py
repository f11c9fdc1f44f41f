"""A locked-out address is refused from memory until its Retry-After has passed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pq_gateway.ratelimit.auth_failures import AuthFailureLimiter
from pq_gateway.ratelimit.gcra import RateDecision
from pq_gateway.ratelimit.policy import LimitClass, RateSpec

POLICY = RateSpec(2, 60.0)


@dataclass
class ScriptedLimiter:
    """Answers GCRA checks from a script; keeps the identities it was asked about."""

    allowed: list[bool]
    asked: list[str] = field(default_factory=list)

    async def check(self, identity: str, route_class: LimitClass, policy: RateSpec) -> RateDecision:
        self.asked.append(identity)
        ok = self.allowed.pop(0)
        return RateDecision(ok, route_class, policy, 0, 0 if ok else 30, 60)


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_refusal_is_remembered_until_retry_after() -> None:
    script = ScriptedLimiter([True, False, True])
    clock = Clock()
    gcra: Any = script
    limiter = AuthFailureLimiter(gcra, POLICY, clock=clock)

    assert (await limiter.record_failure("198.51.100.1")).allowed
    assert limiter.locked_out("198.51.100.1") is None
    assert not (await limiter.record_failure("198.51.100.1")).allowed
    clock.now += 10.5
    locked = limiter.locked_out("198.51.100.1")
    assert locked is not None
    assert locked.retry_after_s == 20  # counted down, rounded up
    assert limiter.locked_out("198.51.100.2") is None  # per address
    clock.now += 19.5
    assert limiter.locked_out("198.51.100.1") is None
    assert (await limiter.record_failure("198.51.100.1")).allowed
    assert script.asked == ["ip:198.51.100.1"] * 3
