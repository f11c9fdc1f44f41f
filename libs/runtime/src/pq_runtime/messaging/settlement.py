"""Settling a message (ack, nak, dead letter) without ever raising into the consumer loop.

A lost connection must not end a consumer (docs/fuzzing.md, F2): a failed ack or nak is
logged and left to the server, which redelivers an unsettled message after `ack_wait`
(the inbox or the natural key makes a second application a no-op); a failed dead-letter
publish is nak'ed with a delay and tried again on the next delivery.
"""

from __future__ import annotations

import structlog
from nats.aio.client import Client
from nats.aio.msg import Msg

from ..telemetry.metrics import RuntimeMetrics
from .consumer_spec import ConsumerSpec
from .dlq import dead_letter

log = structlog.get_logger(__name__)


class Settlement:
    def __init__(self, nc: Client, spec: ConsumerSpec, metrics: RuntimeMetrics | None) -> None:
        self._nc = nc
        self._js = nc.jetstream()
        self._spec = spec
        self._metrics = metrics

    async def ack(self, msg: Msg) -> None:
        try:
            await msg.ack()
        except Exception as exc:
            log.warning("consumer.ack_failed", consumer=self._spec.durable, error=repr(exc))

    async def nak(self, msg: Msg, delay: float) -> None:
        try:
            await msg.nak(delay=delay)
        except Exception as exc:
            log.warning("consumer.nak_failed", consumer=self._spec.durable, error=repr(exc))

    async def dead_letter(self, msg: Msg, error: str) -> None:
        """To `pq.dlq.<stream>` (fitted to the server's max_payload), then ack."""
        spec = self._spec
        try:
            await dead_letter(
                self._js,
                msg,
                stream=spec.stream,
                consumer=spec.durable,
                error=error,
                max_payload=self._nc.max_payload,
            )
        except Exception as exc:  # the DLQ is unreachable: try again later
            log.warning("consumer.dlq_failed", consumer=spec.durable, error=repr(exc))
            await self.nak(msg, spec.delay_after(len(spec.backoff_s) or 1))
            return
        await self.ack(msg)
        log.warning("consumer.dead_lettered", consumer=spec.durable, error=error)
        if self._metrics:
            self._metrics.dlq.labels(spec.stream, spec.durable).inc()
