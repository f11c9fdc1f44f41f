"""QuoteReceived -> `pq.quotes.<ex>.<code>` on PQ_QUOTES, pipelined, acks awaited per batch.

Each quote goes out with `publish_async` (no round trip per message); the acks of a batch
are awaited together once `batch_size` quotes are in flight, or by `flush()` when the
stream is quiet. A quote whose ack failed or timed out is published again with the same
`Nats-Msg-Id` (its deterministic event id), so the stream stores it once whatever happens.

No outbox (unlike services that change state): the quote is the fact itself and there is
no store row that would have to commit atomically with the publish. What a crash can lose
is the un-acked tail of quotes, a gap that GapBackfiller refills from history.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import nats.errors
import structlog
from nats.js import JetStreamContext
from nats.js.api import PubAck

from pq_domain import Quote
from pq_domain.events import QuoteReceived
from pq_domain.subjects import quotes_subject
from pq_runtime.envelope import Envelope

from ..metrics import StreamMetrics
from .session_context import SessionContext

log = structlog.get_logger(__name__)
RETRY_MAX_S = 2.0

Pending = tuple[Envelope, "asyncio.Future[PubAck]"]


def quote_received(quote: Quote) -> QuoteReceived:
    return QuoteReceived(
        symbol=quote.symbol,
        price=quote.price,
        volume=quote.volume,
        ts=quote.ts,
        bid=quote.bid,
        ask=quote.ask,
        delayed=quote.delayed,
    )


class QuotePublisher:
    def __init__(
        self,
        js: JetStreamContext,
        context: SessionContext,
        metrics: StreamMetrics,
        *,
        batch_size: int = 500,
        ack_timeout_s: float = 5.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self._js = js
        self._context = context
        self._metrics = metrics
        self._batch_size = batch_size
        self._ack_timeout_s = ack_timeout_s
        self._pending: list[Pending] = []
        self._clock = clock or asyncio.get_running_loop().time
        self.oldest_pending_at: float | None = None

    @property
    def pending(self) -> int:
        return len(self._pending)

    async def publish(self, event: QuoteReceived) -> None:
        envelope = Envelope.of(
            event,
            quotes_subject(event.symbol),
            correlation_id=self._context.correlation_id,
            traceparent=self._context.traceparent,
        )
        await self._send(envelope)
        if len(self._pending) >= self._batch_size:
            await self.flush()

    async def flush(self) -> None:
        """Await the acks of everything in flight; re-publish what failed until it is stored."""
        batch, self._pending, self.oldest_pending_at = self._pending, [], None
        delay = 0.05
        while batch:
            failed = await self._settle(batch)
            if not failed:
                return
            self._metrics.publish_retries.inc(len(failed))
            log.warning("quotes.publish_retry", quotes=len(failed), wait_s=delay)
            await asyncio.sleep(delay)
            delay = min(RETRY_MAX_S, delay * 2)
            batch = [(e, await self._publish_or_fail(e)) for e in failed]

    async def _send(self, envelope: Envelope) -> None:
        future = await self._publish_or_fail(envelope)
        if not self._pending:
            self.oldest_pending_at = self._clock()
        self._pending.append((envelope, future))

    async def _publish_or_fail(self, envelope: Envelope) -> asyncio.Future[PubAck]:
        try:
            return await self._publish_async(envelope)
        except (nats.errors.Error, OSError) as exc:  # e.g. the outbound buffer is full
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                # nats-py turns a cancellation while it waits for a slot into
                # TooManyStalledMsgsError; swallowing it would leave the task unstoppable.
                raise asyncio.CancelledError from exc
            log.debug("quotes.publish_failed", error=repr(exc))
            return _failed_future()  # retried by the flush

    async def _publish_async(self, envelope: Envelope) -> asyncio.Future[PubAck]:
        # No `wait_stall`: nats-py then wraps the slot wait in a Task per message, which
        # yields to the loop and makes its flusher write one message per socket send (6x
        # slower). Acks are awaited every `batch_size` (< nats-py's 4000 slots): no stall.
        return await self._js.publish_async(
            envelope.subject, envelope.payload, headers=envelope.headers()
        )

    async def _settle(self, batch: list[Pending]) -> list[Envelope]:
        futures = [f for _, f in batch]
        await asyncio.wait(futures, timeout=self._ack_timeout_s)
        failed: list[Envelope] = []
        stored = duplicates = 0
        for envelope, future in batch:
            if not future.done():
                future.cancel()  # releases nats-py's pending slot
                failed.append(envelope)
            elif future.cancelled() or future.exception() is not None:
                failed.append(envelope)
            elif future.result().duplicate:
                duplicates += 1
            else:
                stored += 1
        self._metrics.quotes_published.inc(stored)
        self._metrics.quotes_duplicate.inc(duplicates)
        return failed


def _failed_future() -> asyncio.Future[PubAck]:
    future: asyncio.Future[PubAck] = asyncio.get_running_loop().create_future()
    future.set_exception(nats.errors.ConnectionClosedError())
    return future


async def flush_when_quiet(publisher: QuotePublisher, linger_s: float) -> None:
    """Await acks of a batch that stopped filling up (a quiet market) after `linger_s`."""
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(linger_s)
        oldest = publisher.oldest_pending_at
        if oldest is not None and loop.time() - oldest >= linger_s:
            await publisher.flush()
