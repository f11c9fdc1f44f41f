"""Durable pull consumers with batch handlers, inbox idempotency and dead letters.

For each fetched batch: decode (undecodable -> DLQ), open one unit of work, skip event ids
the inbox has seen, call the handler with the rest, record them, commit once, then ack.
If the batch fails, its messages are retried one by one, so one poison message cannot
hold the others back: it is nak'ed with a backoff delay and, after `max_deliver`
attempts, published to `pq.dlq.<stream>` and acked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

import structlog
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from pq_domain.events import InvalidEvent

from ..envelope import EnvelopeError
from ..stores.ports import UnitOfWork, UnitOfWorkFactory
from ..telemetry.metrics import RuntimeMetrics
from ..telemetry.tracing import consume_span
from .consumer_spec import ConsumerSpec
from .delivery import Delivery, PermanentError
from .dlq import dead_letter
from .pull_subscription import ResilientPullSubscription

log = structlog.get_logger(__name__)
U = TypeVar("U", bound=UnitOfWork)
BatchHandler = Callable[[U, Sequence[Delivery]], Awaitable[None]]
PERMANENT = (PermanentError, InvalidEvent, EnvelopeError)


class BatchConsumer(Generic[U]):
    def __init__(
        self,
        nc: Client,
        store: UnitOfWorkFactory[U],
        spec: ConsumerSpec,
        handler: BatchHandler[U],
        *,
        metrics: RuntimeMetrics | None = None,
    ) -> None:
        self._js: JetStreamContext = nc.jetstream()
        self._store = store
        self.spec = spec
        self._handler = handler
        self._metrics = metrics
        self._stop = asyncio.Event()
        self._pull = ResilientPullSubscription(nc, spec)

    @property
    def resubscribes(self) -> int:
        return self._pull.resubscribes

    async def start(self) -> None:
        """Create or update the durable consumer and bind a pull subscription to it."""
        await self._pull.start()

    def stop(self) -> None:
        """Finish and ack the batch in hand, then return from `run`."""
        self._stop.set()

    async def run(self) -> None:
        """Fetch and process batches until `stop()`; the batch in hand is finished first."""
        while not self._stop.is_set():
            msgs = await self._pull.fetch()
            self._report_lag()
            if msgs:
                await self.process(msgs)
        await self._pull.close()

    async def process(self, msgs: Sequence[Msg]) -> None:
        batch: list[Delivery] = []
        for msg in msgs:
            try:
                d = Delivery.parse(msg)
            except EnvelopeError as exc:
                await self._dead_letter(msg, f"undecodable: {exc}")
                continue
            if d.delivered > self.spec.max_deliver:
                await self._dead_letter(msg, "max_deliver exceeded (died while handling?)")
            else:
                batch.append(d)
        if not batch:
            return
        try:
            await self._apply(batch)
        except Exception as exc:
            if len(batch) == 1:
                await self._failed(batch[0], exc)
                return
            log.warning("consumer.batch_failed", consumer=self.spec.durable, error=repr(exc))
            for d in batch:
                try:
                    await self._apply([d])
                except Exception as one_exc:
                    await self._failed(d, one_exc)

    async def _apply(self, batch: list[Delivery]) -> None:
        spec = self.spec
        async with self._store.unit_of_work() as uow:
            fresh = batch
            if spec.idempotency == "inbox":
                seen = await uow.seen(spec.durable, [d.event_id for d in batch])
                fresh, ids = [], set(seen)
                for d in batch:
                    if d.event_id not in ids:
                        ids.add(d.event_id)
                        fresh.append(d)
                uow.mark_processed(spec.durable, [d.event_id for d in fresh])
            if fresh:
                with consume_span(f"consume {spec.durable}", [d.envelope for d in fresh]):
                    await self._handler(uow, fresh)
            await uow.commit()
        for d in batch:
            await d.msg.ack()
        if self._metrics:
            labels = (spec.stream, spec.durable)
            self._metrics.consumer_processed.labels(*labels).inc(len(fresh))
            self._metrics.consumer_duplicates.labels(*labels).inc(len(batch) - len(fresh))

    async def _failed(self, d: Delivery, exc: Exception) -> None:
        if isinstance(exc, PERMANENT) or d.delivered >= self.spec.max_deliver:
            await self._dead_letter(d.msg, f"{type(exc).__name__}: {exc}")
            return
        delay = self.spec.delay_after(d.delivered)
        log.warning(
            "consumer.retry",
            consumer=self.spec.durable,
            event_id=d.event_id,
            delivered=d.delivered,
            delay_s=delay,
            error=repr(exc),
        )
        await d.msg.nak(delay=delay)
        if self._metrics:
            self._metrics.consumer_retries.labels(self.spec.stream, self.spec.durable).inc()

    async def _dead_letter(self, msg: Msg, error: str) -> None:
        spec = self.spec
        try:
            await dead_letter(self._js, msg, stream=spec.stream, consumer=spec.durable, error=error)
        except Exception as exc:  # the DLQ is unreachable: try again later
            log.warning("consumer.dlq_failed", consumer=spec.durable, error=repr(exc))
            await msg.nak(delay=spec.delay_after(len(spec.backoff_s) or 1))
            return
        await msg.ack()
        log.warning("consumer.dead_lettered", consumer=spec.durable, error=error)
        if self._metrics:
            self._metrics.dlq.labels(spec.stream, spec.durable).inc()

    def _report_lag(self) -> None:
        if self._metrics:
            self._metrics.consumer_lag.labels(self.spec.stream, self.spec.durable).set(
                self._pull.lag
            )
