"""Publish a SyncRequested to PQ_CMD and wait for the stream's ack.

No outbox: the scheduler changes no store state of its own when it fires (its state is
the KV revision, advanced after the publish). `Nats-Msg-Id` is the command's event id,
deterministic per schedule period, so a second replica's publish is dropped.
"""

from __future__ import annotations

from nats.js import JetStreamContext

from pq_domain.events import SyncRequested
from pq_domain.subjects import SYNC_COMMAND
from pq_runtime.envelope import Envelope
from pq_runtime.telemetry import current_traceparent


class SyncCommandPublisher:
    def __init__(self, js: JetStreamContext, *, timeout_s: float = 5.0) -> None:
        self._js = js
        self._timeout_s = timeout_s

    async def __call__(self, command: SyncRequested) -> None:
        envelope = Envelope.of(
            command,
            SYNC_COMMAND,
            correlation_id=command.job_id,  # deterministic: every replica agrees
            traceparent=current_traceparent(),
        )
        await self._js.publish(
            envelope.subject, envelope.payload, timeout=self._timeout_s, headers=envelope.headers()
        )
