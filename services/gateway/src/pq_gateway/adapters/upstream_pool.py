"""Several query replicas behind one Upstream: reads go round-robin, and a replica that
is unreachable (killed, restarting) is passed over for the next one at once.

Only reads are forwarded, so asking another replica again is always safe. A replica that
failed is tried last for `cooldown_s`, so a dead one costs a refused connect per period,
not per request.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from .upstream import Upstream, UpstreamAnswer, UpstreamStream, UpstreamUnreachable

T = TypeVar("T")


class FailoverUpstream:
    def __init__(
        self,
        upstreams: Sequence[Upstream],
        *,
        cooldown_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not upstreams:
            raise ValueError("at least one upstream")
        self._upstreams = list(upstreams)
        self._turn = itertools.count()
        self._failed_at = [float("-inf")] * len(upstreams)
        self._cooldown_s = cooldown_s
        self._clock = clock

    def _order(self) -> list[int]:
        start = next(self._turn) % len(self._upstreams)
        rotated = [(start + i) % len(self._upstreams) for i in range(len(self._upstreams))]
        now = self._clock()
        # Stable sort: healthy ones in round-robin order, recently failed ones after them.
        return sorted(rotated, key=lambda i: now - self._failed_at[i] < self._cooldown_s)

    async def get(
        self, path: str, headers: dict[str, str], timeout_s: float | None = None
    ) -> UpstreamAnswer:
        return await self._first(lambda upstream: upstream.get(path, headers, timeout_s))

    async def stream(self, path: str, headers: dict[str, str]) -> UpstreamStream:
        """Fails over only until the answer starts: a cut mid-body reaches the client."""
        return await self._first(lambda upstream: upstream.stream(path, headers))

    async def _first(self, call: Callable[[Upstream], Awaitable[T]]) -> T:
        failure: UpstreamUnreachable | None = None
        for i in self._order():
            try:
                return await call(self._upstreams[i])
            except UpstreamUnreachable as exc:
                self._failed_at[i] = self._clock()
                failure = exc
        assert failure is not None
        raise failure

    async def aclose(self) -> None:
        for upstream in self._upstreams:
            await upstream.aclose()
