"""The latest-quote projection: PQ_QUOTES -> one Redis hash per symbol.

Only the newest quote per symbol in a batch is written, in one pipeline per batch;
Redis keeps a quote only if it is not older than the one it holds, so redeliveries
and replays cannot move a quote backwards. Redis down: the batch is dropped (counted),
not retried: the latest quote is cache-like and the next quote replaces it anyway.
"""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from redis.exceptions import RedisError

from pq_domain.events import QuoteReceived
from pq_runtime.messaging import Delivery, PermanentError

from ..adapters.redis.quotes import LatestQuotes
from ..metrics import QueryMetrics
from .no_transaction import NoTransaction

log = structlog.get_logger(__name__)


def newest_per_symbol(deliveries: Sequence[Delivery]) -> list[QuoteReceived]:
    newest: dict[str, QuoteReceived] = {}
    for d in deliveries:
        if d.envelope.event_type != QuoteReceived.EVENT_TYPE:
            raise PermanentError(f"unexpected event type {d.envelope.event_type!r}")
        quote = QuoteReceived.from_payload(d.data)
        key = str(quote.symbol)
        held = newest.get(key)
        if held is None or quote.ts >= held.ts:
            newest[key] = quote
    return list(newest.values())


class QuotesProjection:
    def __init__(self, quotes: LatestQuotes, metrics: QueryMetrics | None = None) -> None:
        self._quotes = quotes
        self._metrics = metrics

    async def __call__(self, _: NoTransaction, deliveries: Sequence[Delivery]) -> None:
        latest = newest_per_symbol(deliveries)
        try:
            await self._quotes.put_many(latest)
        except RedisError as exc:
            log.warning("quotes.redis_down", dropped=len(latest), error=repr(exc))
            if self._metrics is not None:
                self._metrics.quotes_dropped.inc(len(latest))
            return
        if self._metrics is not None:
            self._metrics.observe_batch("quotes", len(deliveries), 0.0)
