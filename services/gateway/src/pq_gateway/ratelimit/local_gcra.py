"""GCRA in this process: the fallback that keeps counting failed authentications while
Redis is unreachable (fail-closed, the production default). Same decisions as gcra.py,
on this replica's monotonic clock and memory only."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from .gcra import RateDecision
from .policy import LimitClass, RateSpec

_MAX_KEYS = 10_000  # bounds memory under a flood from many addresses


class LocalGcraLimiter:
    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._tat_ms: dict[str, float] = {}

    def check(self, identity: str, route_class: LimitClass, policy: RateSpec) -> RateDecision:
        now = self._clock() * 1000.0
        key = f"{route_class}:{identity}"
        tat = max(self._tat_ms.get(key, now), now)
        new_tat = tat + policy.emission_interval_ms
        allow_at = new_tat - policy.tolerance_ms
        if now < allow_at:
            return RateDecision(
                allowed=False,
                route_class=route_class,
                policy=policy,
                remaining=0,
                retry_after_s=max(1, math.ceil((allow_at - now) / 1000)),
                reset_s=max(0, math.ceil((tat - now) / 1000)),
            )
        if len(self._tat_ms) >= _MAX_KEYS:
            self._tat_ms = {k: v for k, v in self._tat_ms.items() if v > now}
            if len(self._tat_ms) >= _MAX_KEYS:
                self._tat_ms.clear()
        self._tat_ms[key] = new_tat
        return RateDecision(
            allowed=True,
            route_class=route_class,
            policy=policy,
            remaining=math.floor((now - allow_at) / policy.emission_interval_ms + 1e-9),
            retry_after_s=0,
            reset_s=max(0, math.ceil((new_tat - now) / 1000)),
        )
