"""Durable pull consumers with batch handlers, inbox idempotency and dead letters.

For each fetched batch: decode (undecodable -> DLQ), open one unit of work, skip event ids
the inbox has seen, call the handler with the rest, record them, commit once, then ack.
If the batch fails, its messages are retried one by one, so one poison message cannot
hold the others back: it is nak'ed with a backoff delay and, after `max_deliver`
attempts, published to `pq.dlq.<stream>` and acked.

Nothing one message does ends `run()`: whatever decoding raises, and an event type or
schema version this consumer does not know, is dead-lettered at once. Nor does a lost
connection: a failed ack or nak is logged and left to the server's redelivery (after
`ack_wait`; the inbox or the natural key absorbs the second application), a failed
dead-letter publish is nak'ed with a delay. Only a connection closed for good (which
no reconnect can bring back) ends `run()`, with `ConnectionClosedError`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

import structlog
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import ConnectionClosedError

from pq_domain.events import InvalidEvent

from ..envelope import EnvelopeError
from ..stores.ports import UnitOfWork, UnitOfWorkFactory
from ..telemetry.metrics import RuntimeMetrics
from ..telemetry.tracing import consume_span, store_span
from .consumer_spec import ConsumerSpec
from .delivery import Delivery, PermanentError
from .known_schemas import KnownSchemas, UnknownSchema
from .pull_subscription import ResilientPullSubscription
from .settlement import Settlement

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
        self._nc = nc
        self._store = store
        self.spec = spec
        self._handler = handler
        self._metrics = metrics
        self._stop = asyncio.Event()
        self._pull = ResilientPullSubscription(nc, spec)
        self._schemas = KnownSchemas.of(spec.events)
        self._settle = Settlement(nc, spec, metrics)
        if metrics is not None:  # its series at 0 before the first message
            metrics.declare_consumer(spec.stream, spec.durable)

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
            if self._nc.is_closed:
                log.error("consumer.connection_closed", consumer=self.spec.durable)
                raise ConnectionClosedError
            msgs = await self._pull.fetch()
            self._report_lag()
            if not msgs:
                continue
            try:
                await self.process(msgs)
            except Exception as exc:  # a bug of ours: the batch comes back after ack_wait
                log.exception("consumer.process_failed", consumer=self.spec.durable, error=str(exc))
                await asyncio.sleep(self.spec.fetch_timeout_s)
        try:
            await self._pull.close()
        except Exception as exc:  # closing a subscription on a lost connection
            log.debug("consumer.close_failed", consumer=self.spec.durable, error=repr(exc))

    async def process(self, msgs: Sequence[Msg]) -> None:
        batch = [d for msg in msgs if (d := await self._decode(msg)) is not None]
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

    async def _decode(self, msg: Msg) -> Delivery | None:
        """The delivery to handle, or None once `msg` is dead-lettered."""
        try:
            d = Delivery.parse(msg)
            self._schemas.check(d.envelope)
        except UnknownSchema as exc:
            await self._settle.dead_letter(msg, f"unknown schema: {exc}")
            return None
        except EnvelopeError as exc:
            await self._settle.dead_letter(msg, f"undecodable: {exc}")
            return None
        except Exception as exc:  # whatever else hostile bytes provoke: never the handler's
            await self._settle.dead_letter(msg, f"undecodable: {type(exc).__name__}: {exc}")
            return None
        if d.delivered > self.spec.max_deliver:
            await self._settle.dead_letter(msg, "max_deliver exceeded (died while handling?)")
            return None
        return d

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
                # The commit is the span's child: a slow or failing commit shows in the trace.
                with consume_span(f"consume {spec.durable}", [d.envelope for d in fresh]):
                    await self._handler(uow, fresh)
                    with store_span("commit"):
                        await uow.commit()
            else:  # every message was applied before: nothing to trace, close the transaction
                await uow.commit()
        for d in batch:
            await self._settle.ack(d.msg)
        if self._metrics:
            labels = (spec.stream, spec.durable)
            self._metrics.consumer_processed.labels(*labels).inc(len(fresh))
            self._metrics.consumer_duplicates.labels(*labels).inc(len(batch) - len(fresh))

    async def _failed(self, d: Delivery, exc: Exception) -> None:
        if isinstance(exc, PERMANENT) or d.delivered >= self.spec.max_deliver:
            await self._settle.dead_letter(d.msg, f"{type(exc).__name__}: {exc}")
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
        await self._settle.nak(d.msg, delay)
        if self._metrics:
            self._metrics.consumer_retries.labels(self.spec.stream, self.spec.durable).inc()

    def _report_lag(self) -> None:
        if self._metrics:
            self._metrics.consumer_lag.labels(self.spec.stream, self.spec.durable).set(
                self._pull.lag
            )
