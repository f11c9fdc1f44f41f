"""Publishes commands to JetStream and waits for the stream's ack.

The gateway changes no state of its own when it accepts a sync, so there is no outbox:
the command is accepted only once the stream has stored it (publish ack). `Nats-Msg-Id`
is the event id, so a retried publish inside the duplicate window is stored once.
"""

from __future__ import annotations

from typing import Protocol

import nats.errors
import nats.js.errors
import structlog

from pq_domain.events import SyncRequested
from pq_domain.subjects import SYNC_COMMAND
from pq_runtime.envelope import Envelope

from ..problems import dependency_unavailable
from .nats_link import NatsLink

log = structlog.get_logger("pq_gateway.commands")


class CommandPublisher(Protocol):
    async def publish_sync(
        self, command: SyncRequested, *, correlation_id: str, traceparent: str | None
    ) -> None: ...


class JetStreamCommandPublisher:
    def __init__(self, link: NatsLink, *, timeout_s: float) -> None:
        self._link = link
        self._timeout_s = timeout_s

    async def publish_sync(
        self, command: SyncRequested, *, correlation_id: str, traceparent: str | None
    ) -> None:
        envelope = Envelope.of(
            command, SYNC_COMMAND, correlation_id=correlation_id, traceparent=traceparent
        )
        js = self._link.jetstream()
        try:
            ack = await js.publish(
                envelope.subject,
                envelope.payload,
                timeout=self._timeout_s,
                headers=envelope.headers(),
            )
        except (nats.errors.NoRespondersError, nats.js.errors.NoStreamResponseError) as exc:
            # No stream captures pq.cmd.sync: the topology is not provisioned (yet).
            log.error("no stream for sync command", subject=SYNC_COMMAND, error=repr(exc))
            raise dependency_unavailable("NATS", "the command stream is not available") from exc
        except (TimeoutError, nats.errors.Error) as exc:
            log.warning("sync command publish failed", error=repr(exc))
            raise dependency_unavailable("NATS", "the command was not acknowledged") from exc
        log.info("sync requested", job_id=command.job_id, stream=ack.stream, seq=ack.seq)
