"""The latest-quote projection: PQ_QUOTES -> one Redis hash per symbol.

Only the newest quote per symbol in a batch is written, in one pipeline per batch;
Redis keeps a quote only if it is not older than the one it holds, so redeliveries
and replays cannot move a quote backwards. Redis down: the batch is dropped (counted),
not retried: the latest quote is cache-like and the next quote replaces it anyway.

Because newer always wins, a quote stamped far in the future would be served for good
(docs/fuzzing.md, F6). So this projection refuses a quote whose `ts` is more than
`max_future_skew_ms` ahead of its own wall clock: a PermanentError, dead-lettered with
the reason. That is this consumer's policy on event time, not a rule of the event
(bar-builder, say, judges event time by its own watermark), so it lives here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import structlog
from redis.exceptions import RedisError

from pq_domain.events import QuoteReceived
from pq_runtime.messaging import Delivery, PermanentError
from pq_runtime.stores import NoTransaction

from ..adapters.redis.quotes import LatestQuotes
from ..metrics import QueryMetrics

log = structlog.get_logger(__name__)
DAY_MS = 86_400_000


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


def newest_per_symbol(deliveries: Sequence[Delivery], not_after_ms: int) -> list[QuoteReceived]:
    """The newest quote per symbol; PermanentError for a quote stamped after `not_after_ms`."""
    newest: dict[str, QuoteReceived] = {}
    for d in deliveries:
        if d.envelope.event_type != QuoteReceived.EVENT_TYPE:
            raise PermanentError(f"unexpected event type {d.envelope.event_type!r}")
        quote = QuoteReceived.from_payload(d.data)
        if quote.ts > not_after_ms:
            raise PermanentError(
                f"quote ts {quote.ts} is {quote.ts - not_after_ms} ms beyond the allowed "
                f"future skew (latest accepted: {not_after_ms})"
            )
        key = str(quote.symbol)
        held = newest.get(key)
        if held is None or quote.ts >= held.ts:
            newest[key] = quote
    return list(newest.values())


class QuotesProjection:
    def __init__(
        self,
        quotes: LatestQuotes,
        metrics: QueryMetrics | None = None,
        *,
        max_future_skew_ms: int = DAY_MS,
        clock_ms: Callable[[], int] = wall_clock_ms,
    ) -> None:
        self._quotes = quotes
        self._metrics = metrics
        self._max_future_skew_ms = max_future_skew_ms
        self._clock_ms = clock_ms

    async def __call__(self, _: NoTransaction, deliveries: Sequence[Delivery]) -> None:
        latest = newest_per_symbol(deliveries, self._clock_ms() + self._max_future_skew_ms)
        try:
            await self._quotes.put_many(latest)
        except RedisError as exc:
            log.warning("quotes.redis_down", dropped=len(latest), error=repr(exc))
            if self._metrics is not None:
                self._metrics.quotes_dropped.inc(len(latest))
            return
        if self._metrics is not None:
            self._metrics.observe_batch("quotes", len(deliveries), 0.0)
