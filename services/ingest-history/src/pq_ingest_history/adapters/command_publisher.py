"""Publish a SyncRequested to PQ_CMD and wait for the stream's ack.

No outbox: the scheduler changes no store state of its own when it fires (its state is
the KV revision, advanced after the publish). `Nats-Msg-Id` is the command's event id,
deterministic per schedule period, so a second replica's publish is dropped. The publish
is a PRODUCER span: a scheduled sync is one trace from here to the query projection.
"""

from __future__ import annotations

from nats.js import JetStreamContext

from pq_domain.events import SyncRequested
from pq_domain.subjects import SYNC_COMMAND
from pq_runtime.envelope import Envelope
from pq_runtime.telemetry import correlation_scope, publish_span


class SyncCommandPublisher:
    def __init__(self, js: JetStreamContext, *, timeout_s: float = 5.0) -> None:
        self._js = js
        self._timeout_s = timeout_s

    async def __call__(self, command: SyncRequested) -> None:
        correlation_id = command.job_id  # deterministic: every replica agrees
        with correlation_scope(correlation_id), publish_span(SYNC_COMMAND) as traceparent:
            envelope = Envelope.of(
                command, SYNC_COMMAND, correlation_id=correlation_id, traceparent=traceparent
            )
            await self._js.publish(
                envelope.subject,
                envelope.payload,
                timeout=self._timeout_s,
                headers=envelope.headers(),
            )
