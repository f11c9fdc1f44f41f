"""The webhook worker: runs inside the gateway process as background tasks.

It waits for NATS, ensures the delivery-task stream, then runs one loop per durable
consumer (fan-out of PQ_BARS and PQ_JOBS events, delivery of tasks). Several gateway
replicas share the durable consumers, so each task is handled by one of them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence

import httpx
import structlog
from nats.aio.msg import Msg

from pq_runtime.messaging import ConsumerSpec, ResilientPullSubscription
from pq_runtime.messaging.topology import ensure_stream

from ..adapters.nats_link import NatsLink
from ..metrics import GatewayMetrics
from ..settings import GatewaySettings
from .deliverer import Deliverer
from .fanout import Fanout
from .store import WebhookStore
from .topology import deliveries_stream, delivery_spec, fanout_specs

log = structlog.get_logger("pq_gateway.webhooks.worker")
Handler = Callable[[Sequence[Msg]], Awaitable[None]]


class WebhookWorker:
    def __init__(
        self,
        link: NatsLink,
        store: WebhookStore,
        settings: GatewaySettings,
        metrics: GatewayMetrics,
    ) -> None:
        self._link = link
        self._store = store
        self._settings = settings
        self._metrics = metrics
        self._tasks: list[asyncio.Task[None]] = []
        self._http = httpx.AsyncClient(
            # No proxy from the environment: a proxy would resolve the name itself,
            # around the pinned address (url_guard.py).
            timeout=settings.webhooks_timeout_s,
            follow_redirects=False,
            trust_env=False,
        )
        self.ready = asyncio.Event()  # set once every consumer exists (tests wait on it)

    def start(self) -> None:
        self._tasks.append(asyncio.create_task(self._run(), name="webhook-worker"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._http.aclose()

    async def _run(self) -> None:
        await self._link.wait_connected()
        nc = self._link.client()
        js = nc.jetstream()
        s = self._settings
        while True:
            try:
                await ensure_stream(js, deliveries_stream(s.webhooks_replicas))
                break
            except Exception as exc:  # e.g. JetStream not ready yet
                log.warning("webhook stream not ensured yet", error=repr(exc))
                await asyncio.sleep(2.0)
        fanout = Fanout(js, self._store, timeout_s=s.nats_publish_timeout_s)
        deliverer = Deliverer(self._store, self._http, s, self._metrics)
        loops: list[tuple[ConsumerSpec, Handler]] = [
            (spec, fanout.process) for spec in fanout_specs()
        ]
        loops.append(
            (
                delivery_spec(s.webhooks_max_attempts, s.webhooks_backoff_s, s.webhooks_timeout_s),
                deliverer.process,
            )
        )
        subscriptions = [ResilientPullSubscription(nc, spec) for spec, _ in loops]
        for subscription in subscriptions:
            await _start_until_done(subscription)
        self.ready.set()
        log.info("webhook worker running")
        await asyncio.gather(
            *(
                _consume(sub, handler)
                for sub, (_, handler) in zip(subscriptions, loops, strict=True)
            )
        )


async def _start_until_done(subscription: ResilientPullSubscription) -> None:
    while True:
        try:
            await subscription.start()
            return
        except Exception as exc:  # the source stream may not be provisioned yet
            log.warning(
                "webhook consumer not started yet",
                consumer=subscription.spec.durable,
                error=repr(exc),
            )
            await asyncio.sleep(2.0)


async def _consume(subscription: ResilientPullSubscription, handler: Handler) -> None:
    try:
        while True:
            msgs = await subscription.fetch()
            if not msgs:
                continue
            try:
                await handler(msgs)
            except Exception as exc:  # unacked messages come back after ack_wait
                log.warning(
                    "webhook batch failed", consumer=subscription.spec.durable, error=repr(exc)
                )
                await asyncio.sleep(1.0)
    finally:
        with contextlib.suppress(Exception):
            await subscription.close()
