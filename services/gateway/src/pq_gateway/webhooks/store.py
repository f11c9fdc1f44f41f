"""Webhook registrations in the PQ_WEBHOOKS NATS KV bucket (durable, shared by replicas)."""

from __future__ import annotations

import nats.errors
import structlog
from nats.js.errors import KeyNotFoundError
from nats.js.kv import KeyValue

from pq_runtime.codec import CodecError, decode, encode
from pq_runtime.messaging.kv import live_entries, open_or_create, webhooks_config

from ..adapters.nats_link import NatsLink
from ..api.problems import dependency_unavailable
from .model import Webhook

log = structlog.get_logger("pq_gateway.webhooks")


class WebhookStore:
    def __init__(self, link: NatsLink, *, replicas: int, timeout_s: float) -> None:
        self._link = link
        self._replicas = replicas
        self._timeout_s = timeout_s
        self._kv: KeyValue | None = None

    async def put(self, webhook: Webhook) -> None:
        kv = await self._bucket()
        try:
            await kv.put(webhook.webhook_id, encode(webhook.to_payload()))
        except (nats.errors.Error, TimeoutError) as exc:
            raise _unavailable(exc) from exc

    async def get(self, webhook_id: str) -> Webhook | None:
        kv = await self._bucket()
        try:
            entry = await kv.get(webhook_id)
        except KeyNotFoundError:
            return None
        except (nats.errors.Error, TimeoutError) as exc:
            raise _unavailable(exc) from exc
        return _decode(entry.value)

    async def delete(self, webhook_id: str) -> bool:
        if await self.get(webhook_id) is None:
            return False
        kv = await self._bucket()
        try:
            await kv.delete(webhook_id)
        except (nats.errors.Error, TimeoutError) as exc:
            raise _unavailable(exc) from exc
        return True

    async def all(self) -> list[Webhook]:
        kv = await self._bucket()
        try:
            entries = await live_entries(kv, self._timeout_s)
        except (nats.errors.Error, TimeoutError) as exc:
            raise _unavailable(exc) from exc
        hooks = [w for w in (_decode(e.value) for e in entries) if w is not None]
        return sorted(hooks, key=lambda w: w.created_at)

    async def _bucket(self) -> KeyValue:
        if self._kv is None:
            try:
                self._kv = await open_or_create(
                    self._link.jetstream(), webhooks_config(self._replicas)
                )
            except (nats.errors.Error, TimeoutError) as exc:
                raise _unavailable(exc) from exc
        return self._kv


def _decode(value: bytes | None) -> Webhook | None:
    try:
        return Webhook.from_payload(decode(value or b""))
    except (CodecError, KeyError, TypeError, ValueError):
        log.warning("skipping a malformed webhook record")
        return None


def _unavailable(exc: BaseException) -> Exception:
    log.warning("webhook store unavailable", error=repr(exc))
    return dependency_unavailable("NATS", "the webhook store is unreachable; retry shortly")
