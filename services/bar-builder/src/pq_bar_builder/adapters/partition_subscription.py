"""One partition's durable pull consumer, positioned where the partition's stored state ends.

The store, not the consumer, is the truth about what was applied (the tracking record).
On acquiring a partition (start, restart, lease takeover) and after any failure, the
durable consumer is recreated to deliver from `last applied sequence + 1`: messages a
dead owner had fetched but not acked cannot then arrive after newer ones (a redelivery
after `ack_wait` would break per-symbol order), and nothing applied is delivered again.
AckPolicy ALL: one ack per batch acknowledges every message up to it.
"""

from __future__ import annotations

import contextlib

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from .partitioned_stream import consumer_name, partition_filter


class PartitionSubscription:
    def __init__(
        self,
        js: JetStreamContext,
        stream: str,
        partition: int,
        *,
        batch_size: int,
        fetch_timeout_s: float,
        ack_wait_s: float,
    ) -> None:
        self._js = js
        self.stream = stream
        self.partition = partition
        self.durable = consumer_name(partition)
        self._batch_size = batch_size
        self._fetch_timeout_s = fetch_timeout_s
        self._ack_wait_s = ack_wait_s
        self._sub: JetStreamContext.PullSubscription | None = None

    def config(self, after_seq: int) -> ConsumerConfig:
        return ConsumerConfig(
            durable_name=self.durable,
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
            opt_start_seq=after_seq + 1,
            ack_policy=AckPolicy.ALL,
            ack_wait=self._ack_wait_s,
            max_deliver=-1,  # nothing is nak'ed: poison goes to the DLQ, the rest is applied
            # Two batches: the one in hand and the next one, fetched after its ack.
            max_ack_pending=self._batch_size * 2,
            filter_subject=partition_filter(self.partition),
        )

    async def reset(self, after_seq: int) -> None:
        """(Re)create the durable consumer to deliver from `after_seq + 1` and bind to it."""
        await self.close()
        with contextlib.suppress(NotFoundError):
            await self._js.delete_consumer(self.stream, self.durable)
        await self._js.add_consumer(self.stream, self.config(after_seq))
        self._sub = await self._js.pull_subscribe_bind(durable=self.durable, stream=self.stream)

    async def fetch(self) -> list[Msg]:
        """Up to a batch, or [] when none came within the fetch timeout."""
        if self._sub is None:
            raise RuntimeError(f"partition {self.partition}: subscription not started")
        try:
            return await self._sub.fetch(self._batch_size, timeout=self._fetch_timeout_s)
        except (TimeoutError, NatsTimeoutError):
            return []

    async def pending(self) -> int:
        """Messages the server holds for this consumer, not yet delivered."""
        info = await self._js.consumer_info(self.stream, self.durable)
        return info.num_pending or 0

    async def close(self) -> None:
        sub, self._sub = self._sub, None
        if sub is not None:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()
