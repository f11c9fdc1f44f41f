"""Publish a SyncRequested to PQ_CMD (`pq.cmd.sync`) and wait for the stream's ack.

For publishers that derive the command from durable state which only moves on after the
ack (ingest-stream's quote cursors, ingest-history's schedule revisions): they need no
outbox, since a crash before the ack derives the same command again, and its deterministic
job id (`Nats-Msg-Id` = its event id) lets the stream and ingest-history's inbox drop the
repeat. The publish is a PRODUCER span with the job id as correlation id (every shard or
replica agrees on it): a backfill or scheduled sync is one trace from here to the query
projection.
"""

from __future__ import annotations

from nats.js import JetStreamContext

from pq_domain.events import SyncRequested
from pq_domain.subjects import SYNC_COMMAND

from ..envelope import Envelope
from ..telemetry import correlation_scope, publish_span


class SyncCommandPublisher:
    def __init__(self, js: JetStreamContext, *, timeout_s: float = 5.0) -> None:
        self._js = js
        self._timeout_s = timeout_s

    async def __call__(self, command: SyncRequested) -> None:
        correlation_id = command.job_id
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
