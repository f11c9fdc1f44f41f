"""Event -> one delivery task per interested webhook, on PQ_WEBHOOK_DELIVERIES.

Each task's `Nats-Msg-Id` is (webhook, event), so a redelivered event makes no second
task; the source event is acked only after every task is stored. Splitting fan-out from
delivery lets each (webhook, event) be retried on its own schedule: one failing
endpoint neither blocks nor duplicates deliveries to the others.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime

import structlog
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from pq_domain.subjects import symbol_of_subject
from pq_runtime.envelope import EnvelopeError
from pq_runtime.messaging import Delivery

from .model import EventType, Webhook, event_types_of
from .store import WebhookStore
from .topology import delivery_subject

log = structlog.get_logger("pq_gateway.webhooks.fanout")


def message_id(webhook_id: str, event_id: str) -> str:
    """Standard Webhooks' `webhook-id`: stable across retries, so receivers can dedupe."""
    return "msg_" + hashlib.sha256(f"{webhook_id}:{event_id}".encode()).hexdigest()[:32]


def webhook_body(event_type: EventType, delivery: Delivery) -> bytes:
    body = {
        "type": event_type,
        "event": delivery.envelope.event_type,
        "event_id": delivery.event_id,
        "timestamp": datetime.now(tz=UTC).isoformat().replace("+00:00", "Z"),
        "data": delivery.data,
    }
    return json.dumps(body, separators=(",", ":")).encode()


def _symbol(subject: str) -> str | None:
    try:
        return str(symbol_of_subject(subject))
    except ValueError:
        return None


class Fanout:
    def __init__(self, js: JetStreamContext, store: WebhookStore, *, timeout_s: float) -> None:
        self._js = js
        self._store = store
        self._timeout_s = timeout_s

    async def process(self, msgs: Sequence[Msg]) -> None:
        hooks = await self._store.all()  # once per batch: registrations are few
        for msg in msgs:
            try:
                await self._fan_out(msg, hooks)
            except EnvelopeError as exc:
                log.warning("skipping an undecodable event", subject=msg.subject, error=str(exc))
                await msg.ack()
            except Exception as exc:  # the task stream is unreachable: the event comes back
                log.warning("webhook fan-out failed", subject=msg.subject, error=repr(exc))
                await msg.nak(delay=1.0)

    async def _fan_out(self, msg: Msg, hooks: list[Webhook]) -> None:
        delivery = Delivery.parse(msg)
        symbol = _symbol(msg.subject)
        for event_type in event_types_of(msg.subject, delivery.envelope.event_type):
            for hook in (h for h in hooks if h.wants(event_type, symbol)):
                # One task per (webhook, event, type): a hook taking both `sync.job` and
                # `job.done` gets a SyncJobCompleted as each. `sync.job` keeps its old id.
                event_key = delivery.event_id
                if event_type in ("job.progress", "job.done"):
                    event_key = f"{event_type}:{event_key}"
                msg_id = message_id(hook.webhook_id, event_key)
                await self._js.publish(
                    delivery_subject(hook.webhook_id),
                    webhook_body(event_type, delivery),
                    timeout=self._timeout_s,
                    headers={"Nats-Msg-Id": msg_id},
                )
        await msg.ack()
