"""A pull subscription on a durable consumer that recovers by itself.

Pull subscribers have been seen to stall silently after a reconnect in several NATS
clients. Here: a fetch error while connected, or an idle spell while the server reports
undelivered messages for us, recreates the consumer (create-or-update) and the subscription.
"""

from __future__ import annotations

import asyncio

import structlog
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext

from .consumer_spec import ConsumerSpec

log = structlog.get_logger(__name__)


class ResilientPullSubscription:
    def __init__(self, nc: Client, spec: ConsumerSpec) -> None:
        self._nc = nc
        self._js = nc.jetstream()
        self.spec = spec
        self._sub: JetStreamContext.PullSubscription | None = None
        self._idle_s = 0.0
        self.resubscribes = 0
        self.lag = 0

    async def start(self) -> None:
        """Create or update the durable consumer and bind a pull subscription to it."""
        await self._js.add_consumer(self.spec.stream, self.spec.config())
        if self._sub is not None:
            try:
                await self._sub.unsubscribe()
            except Exception:
                log.debug("consumer.unsubscribe_failed", consumer=self.spec.durable)
        self._sub = await self._js.pull_subscribe_bind(
            durable=self.spec.durable, stream=self.spec.stream
        )

    async def close(self) -> None:
        if self._sub is not None:
            await self._sub.unsubscribe()
            self._sub = None

    async def fetch(self) -> list[Msg]:
        """Up to `batch_size` messages, or [] after `fetch_timeout_s`; never raises."""
        if self._sub is None:
            await self.start()
        assert self._sub is not None
        try:
            msgs = await self._sub.fetch(self.spec.batch_size, timeout=self.spec.fetch_timeout_s)
        except (TimeoutError, NatsTimeoutError):
            self._idle_s += self.spec.fetch_timeout_s
            if self._idle_s >= self.spec.stall_check_s:
                self._idle_s = 0.0
                await self._check_stall()
            return []
        except Exception as exc:  # disconnected, consumer gone, server busy
            log.warning("consumer.fetch_failed", consumer=self.spec.durable, error=repr(exc))
            await asyncio.sleep(self.spec.fetch_timeout_s)
            if self._nc.is_connected:
                await self._recover()
            return []
        self._idle_s = 0.0
        if msgs:
            self.lag = msgs[-1].metadata.num_pending
        return msgs

    async def _check_stall(self) -> None:
        if not self._nc.is_connected:
            return
        try:
            info = await self._js.consumer_info(self.spec.stream, self.spec.durable)
        except Exception:
            await self._recover()
            return
        self.lag = info.num_pending or 0
        if self.lag > 0 and (info.num_ack_pending or 0) < self.spec.max_ack_pending:
            log.warning("consumer.stalled", consumer=self.spec.durable, pending=self.lag)
            await self._recover()

    async def _recover(self) -> None:
        try:
            await self.start()
            self.resubscribes += 1
        except Exception as exc:
            log.warning("consumer.resubscribe_failed", consumer=self.spec.durable, error=repr(exc))
