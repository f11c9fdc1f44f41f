"""Caps on concurrent live streams: per caller (`PQ_SSE_MAX_STREAMS_PER_KEY`) and per
gateway process (`PQ_SSE_MAX_STREAMS`). Each open stream holds NATS subscriptions and a
queue; unbounded, a few clients could exhaust the gateway's memory.

The counts live in this process: every replica enforces its own, so the per-key cap
across N replicas is at most N times the setting (the Ingress spreads one client's
streams rarely; the point is a bound, not an exact global count).
"""

from __future__ import annotations

from collections.abc import Callable

from pq_domain.problem_types import RATE_LIMITED_TYPE

from ..api.problems import ProblemError

RETRY_AFTER_S = 5


class StreamSlots:
    def __init__(self, *, per_key: int, total: int) -> None:
        self._per_key = per_key
        self._total = total
        self._open: dict[str, int] = {}
        self._count = 0

    @property
    def open_streams(self) -> int:
        return self._count

    def acquire(self, caller: str) -> Callable[[], None]:
        """Take a slot for `caller` (ProblemError 429 when a cap is reached); returns the
        function that gives it back (idempotent: a second call does nothing)."""
        held = self._open.get(caller, 0)
        if held >= self._per_key:
            raise _refused(
                f"at most {self._per_key} concurrent live streams per API key "
                "(PQ_SSE_MAX_STREAMS_PER_KEY); close one first"
            )
        if self._count >= self._total:
            raise _refused(
                f"this gateway serves at most {self._total} concurrent live streams "
                "(PQ_SSE_MAX_STREAMS); retry shortly"
            )
        self._open[caller] = held + 1
        self._count += 1
        released = False

        def release() -> None:
            nonlocal released
            if released:
                return
            released = True
            self._count -= 1
            left = self._open[caller] - 1
            if left:
                self._open[caller] = left
            else:
                del self._open[caller]

        return release


def _refused(detail: str) -> ProblemError:
    return ProblemError(
        429,
        detail,
        type_=RATE_LIMITED_TYPE,
        title="Too Many Requests",
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )
