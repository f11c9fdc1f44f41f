"""Read what the streams hold, decoded (tests only)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from nats.js import JetStreamContext
from nats.js.api import RawStreamMsg
from nats.js.errors import NotFoundError

from pq_domain import Interval, Symbol
from pq_domain.events import SyncRequested
from pq_runtime.envelope import Envelope


@dataclass(frozen=True)
class Stored:
    subject: str
    headers: dict[str, str]
    data: dict[str, Any]

    @property
    def event_type(self) -> str:
        return self.headers["Pq-Event-Type"]


async def stored(js: JetStreamContext, stream: str, prefix: str = "") -> list[Stored]:
    info = await js.stream_info(stream)
    if info.state.messages == 0:
        return []

    async def one(seq: int) -> RawStreamMsg | None:
        try:
            return await js.get_msg(stream, seq, direct=True)
        except NotFoundError:
            return None

    seqs = range(info.state.first_seq, info.state.last_seq + 1)
    found = await asyncio.gather(*(one(s) for s in seqs))
    return [
        Stored(m.subject or "", dict(m.headers or {}), json.loads(m.data or b"{}"))
        for m in found
        if m is not None and (m.subject or "").startswith(prefix)
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
