"""Delivery tasks -> signed HTTP POSTs; failures retried by JetStream with backoff.

A failed attempt is nak'ed with the delay for its attempt number (PQ_WEBHOOKS_BACKOFF_S)
up to PQ_WEBHOOKS_MAX_ATTEMPTS; every failure also counts against the webhook, which is
disabled after PQ_WEBHOOKS_DISABLE_AFTER consecutive failed attempts (any success resets
the count). Tasks of a deleted or disabled webhook are dropped. Redirects are not
followed (they could lead inside), and the URL is checked again before every attempt;
the attempt connects to the address that check approved (url_guard.Target), with the
URL's host name kept for the Host header and TLS (SNI and certificate verification).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import httpx
import structlog
from nats.aio.msg import Msg

from ..metrics import GatewayMetrics
from ..settings import GatewaySettings
from .model import Webhook
from .signing import signed_headers
from .store import WebhookStore
from .topology import DELIVERIES_PREFIX
from .url_guard import UnsafeUrl, check_url

log = structlog.get_logger("pq_gateway.webhooks.delivery")


class Deliverer:
    def __init__(
        self,
        store: WebhookStore,
        http: httpx.AsyncClient,
        settings: GatewaySettings,
        metrics: GatewayMetrics,
    ) -> None:
        self._store = store
        self._http = http
        self._settings = settings
        self._metrics = metrics

    async def process(self, msgs: Sequence[Msg]) -> None:
        # Concurrently: one slow endpoint must not hold the others back.
        await asyncio.gather(*(self._deliver(m) for m in msgs))

    async def _deliver(self, msg: Msg) -> None:
        webhook_id = msg.subject.removeprefix(DELIVERIES_PREFIX + ".")
        hook = await self._store.get(webhook_id)
        if hook is None or not hook.enabled:
            self._metrics.webhook_deliveries.labels("dropped").inc()
            await msg.ack()
            return
        message_id = (msg.headers or {}).get("Nats-Msg-Id", "")
        failure = await self._attempt(hook, message_id, msg.data.decode())
        if failure is None:
            self._metrics.webhook_deliveries.labels("delivered").inc()
            await msg.ack()
            if hook.consecutive_failures:
                await self._store.put(hook.succeeded())
            return
        await self._failed(msg, hook, failure)

    async def _attempt(self, hook: Webhook, message_id: str, body: str) -> str | None:
        """None on a 2xx answer, else why the attempt failed."""
        try:
            target = await check_url(
                hook.url,
                allow_private=self._settings.webhooks_allow_private,
                allowed_ports=self._settings.webhooks_allowed_ports,
            )
            answer = await self._http.post(
                target.pinned_url(),
                content=body.encode(),
                headers={
                    "host": target.host_header,
                    "content-type": "application/json",
                    "user-agent": "PocketQuant-Webhooks/1",
                    **signed_headers(hook.secret, message_id, body),
                },
                extensions={"sni_hostname": target.host},
            )
        except UnsafeUrl as exc:
            return f"refused URL: {exc}"
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}"
        return None if 200 <= answer.status_code < 300 else f"HTTP {answer.status_code}"

    async def _failed(self, msg: Msg, hook: Webhook, failure: str) -> None:
        attempt = msg.metadata.num_delivered
        updated = hook.failed(self._settings.webhooks_disable_after, failure)
        await self._store.put(updated)
        log.warning(
            "webhook delivery failed",
            webhook_id=hook.webhook_id,
            attempt=attempt,
            failure=failure,
            disabled=not updated.enabled,
        )
        if not updated.enabled or attempt >= self._settings.webhooks_max_attempts:
            self._metrics.webhook_deliveries.labels("given_up").inc()
            await msg.ack()
            return
        self._metrics.webhook_deliveries.labels("retried").inc()
        backoff = self._settings.webhooks_backoff_s or (1.0,)
        await msg.nak(delay=backoff[min(attempt, len(backoff)) - 1])
