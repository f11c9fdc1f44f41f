"""Publishes sync commands to JetStream and waits for the stream's acks.

The gateway changes no state of its own when it accepts a sync, so there is no outbox:
a job is accepted only once the streams have stored it. First SyncJobAccepted on
`pq.jobs.sync` (so the query service shows the job as `pending` from the start), then
SyncRequested on `pq.cmd.sync`. If the command then fails, a best-effort SyncJobFailed
closes the job. `Nats-Msg-Id` is each event's id, so a retried publish inside the
duplicate window is stored once. Each publish is a PRODUCER span, the child of the
request's span, and its `traceparent` header names that span: ingest-history's and
query's consume spans become its children.
"""

from __future__ import annotations

import time
from typing import Protocol

import nats.errors
import nats.js.errors
import structlog

from pq_domain.events import SyncJobAccepted, SyncJobFailed, SyncRequested
from pq_domain.subjects import SYNC_COMMAND, SYNC_JOB_EVENTS
from pq_runtime.envelope import DomainEvent, Envelope
from pq_runtime.telemetry import publish_span

from ..api.problems import ProblemError, dependency_unavailable
from .nats_link import NatsLink

log = structlog.get_logger("pq_gateway.commands")


class CommandPublisher(Protocol):
    async def publish_sync(
        self, command: SyncRequested, *, correlation_id: str, traceparent: str | None
    ) -> None: ...


def _now_ms() -> int:
    return int(time.time() * 1000)


class JetStreamCommandPublisher:
    def __init__(self, link: NatsLink, *, timeout_s: float) -> None:
        self._link = link
        self._timeout_s = timeout_s

    async def publish_sync(
        self, command: SyncRequested, *, correlation_id: str, traceparent: str | None
    ) -> None:
        accepted = SyncJobAccepted(command.job_id, command.symbol, command.interval, _now_ms())
        trace = (correlation_id, traceparent)
        await self._publish(accepted, SYNC_JOB_EVENTS, *trace)
        try:
            await self._publish(command, SYNC_COMMAND, *trace)
        except ProblemError as problem:
            failed = SyncJobFailed(command.job_id, f"not accepted: {problem.detail}", _now_ms())
            try:
                await self._publish(failed, SYNC_JOB_EVENTS, *trace)
            except ProblemError:
                log.warning("could not record the failed job", job_id=command.job_id)
            raise
        log.info("sync requested", job_id=command.job_id)

    async def _publish(
        self,
        event: DomainEvent,
        subject: str,
        correlation_id: str,
        traceparent: str | None,
    ) -> None:
        with publish_span(subject) as span_traceparent:
            envelope = Envelope.of(
                event,
                subject,
                correlation_id=correlation_id,
                traceparent=span_traceparent or traceparent,  # the caller's without an SDK
            )
            await self._publish_envelope(envelope)

    async def _publish_envelope(self, envelope: Envelope) -> None:
        subject = envelope.subject
        js = self._link.jetstream()
        try:
            await js.publish(
                envelope.subject,
                envelope.payload,
                timeout=self._timeout_s,
                headers=envelope.headers(),
            )
        except (nats.errors.NoRespondersError, nats.js.errors.NoStreamResponseError) as exc:
            # No stream captures the subject: the topology is not provisioned (yet).
            log.error("no stream for subject", subject=subject, error=repr(exc))
            raise dependency_unavailable("NATS", f"no stream stores {subject}") from exc
        except (TimeoutError, nats.errors.Error) as exc:
            log.warning("publish failed", subject=subject, error=repr(exc))
            raise dependency_unavailable("NATS", f"{subject} was not acknowledged") from exc
