"""Bounded retries with exponential backoff around a transient-failing fetch."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import structlog

from ..ports import PermanentFetchError, TransientFetchError

log = structlog.get_logger(__name__)
T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 3
    initial_s: float = 1.0
    max_s: float = 15.0

    def delay_after(self, failed_attempt: int) -> float:
        """Wait after the `failed_attempt`-th (1-based) attempt failed."""
        return min(self.max_s, self.initial_s * 2.0 ** (failed_attempt - 1))


class RetriesExhausted(PermanentFetchError):
    """Every attempt failed transiently; the job fails with the last error."""


async def with_retries(
    attempt: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    what: str,
    sleep: Sleep = asyncio.sleep,
) -> T:
    """`attempt()` until it succeeds; transient errors are retried `policy.attempts` times in all,
    permanent ones propagate at once."""
    for n in range(1, policy.attempts + 1):
        try:
            return await attempt()
        except TransientFetchError as exc:
            if n >= policy.attempts:
                raise RetriesExhausted(f"{exc} (gave up after {n} attempts)") from exc
            delay = policy.delay_after(n)
            log.warning("fetch.retry", what=what, attempt=n, delay_s=delay, error=str(exc))
            await sleep(delay)
    raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover
