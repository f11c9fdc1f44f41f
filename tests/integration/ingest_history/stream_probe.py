"""Read what the streams hold, decoded (tests only)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from nats.js import JetStreamContext

from pq_domain import Interval, Symbol
from pq_domain.events import SyncRequested
from pq_runtime.envelope import Envelope
from tests.support.stream_reader import read_stream


@dataclass(frozen=True)
class Stored:
    subject: str
    headers: dict[str, str]
    data: dict[str, Any]

    @property
    def event_type(self) -> str:
        return self.headers["Pq-Event-Type"]


async def stored(js: JetStreamContext, stream: str, prefix: str = "") -> list[Stored]:
    return [
        Stored(m.subject or "", dict(m.headers or {}), json.loads(m.data or b"{}"))
        for m in await read_stream(js, stream, prefix)
    ]


async def job_events(js: JetStreamContext, job_id: str | None = None) -> list[Stored]:
    events = await stored(js, "PQ_JOBS")
    return [e for e in events if job_id is None or e.data["job_id"] == job_id]


async def outcome_of(js: JetStreamContext, job_id: str) -> Stored | None:
    """The job's SyncJobCompleted or SyncJobFailed, once stored."""
    for event in await job_events(js, job_id):
        if event.event_type in ("SyncJobCompleted", "SyncJobFailed"):
            return event
    return None


def sync_command(job_id: str, symbol: str, bars: int, interval: str = "1h") -> SyncRequested:
    return SyncRequested(job_id, Symbol.parse(symbol), Interval.parse(interval), bars=bars)


async def publish_command(
    js: JetStreamContext,
    command: SyncRequested,
    *,
    correlation_id: str | None = None,
    traceparent: str | None = None,
    msg_id: str | None = None,
) -> None:
    envelope = Envelope.of(
        command, "pq.cmd.sync", correlation_id=correlation_id, traceparent=traceparent
    )
    headers = envelope.headers()
    if msg_id is not None:  # a re-send the stream does not recognise as a duplicate
        headers["Nats-Msg-Id"] = msg_id
    await js.publish(envelope.subject, envelope.payload, headers=headers)
