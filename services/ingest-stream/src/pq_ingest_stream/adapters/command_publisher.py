"""Publish a SyncRequested to PQ_CMD (`pq.cmd.sync`) and wait for the stream's ack.

No outbox: the command is derived from the quote cursors, which only advance after the
command's ack (see GapBackfiller), so a crash before the ack re-derives the same command;
its deterministic `Nats-Msg-Id` lets the stream and ingest-history's inbox drop the repeat.
The publish is a PRODUCER span with the job id as correlation id: a gap's backfill is one
trace from here to the query projection (quotes themselves get no span: see
SessionContext).
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
        correlation_id = command.job_id  # deterministic: every shard agrees
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
