"""How outbox rows are stored as MongoDB documents."""

from __future__ import annotations

from typing import Any

from bson import Binary

from ....envelope import Envelope
from ...records import OutboxRow, PendingEvent

OUTBOX = "pq_outbox"
INBOX = "pq_inbox"
COUNTERS = "pq_counters"
LOCKS = "pq_locks"


def outbox_document(seq: int, p: PendingEvent) -> dict[str, Any]:
    e = p.envelope
    return {
        "_id": seq,
        "event_id": e.event_id,
        "event_type": e.event_type,
        "schema_version": e.schema_version,
        "subject": e.subject,
        "partition_key": p.partition_key,
        "correlation_id": e.correlation_id,
        "traceparent": e.traceparent,
        "payload": Binary(e.payload),
        "created_at": p.created_at,
        "sent": False,
        "claimed_by": None,
        "lease_until": None,
    }


def row_of(d: dict[str, Any]) -> OutboxRow:
    return OutboxRow(
        seq=int(d["_id"]),
        envelope=Envelope(
            event_id=d["event_id"],
            event_type=d["event_type"],
            schema_version=int(d["schema_version"]),
            subject=d["subject"],
            payload=bytes(d["payload"]),
            correlation_id=d.get("correlation_id"),
            traceparent=d.get("traceparent"),
        ),
        partition_key=d["partition_key"],
        created_at=float(d["created_at"]),
        sent_at=d.get("sent_at"),
        stream=d.get("stream"),
        stream_seq=d.get("stream_seq"),
    )


def inbox_id(consumer: str, event_id: str) -> dict[str, str]:
    return {"c": consumer, "e": event_id}
