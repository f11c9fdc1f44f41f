"""Plain records the stores hand to the relay and the reconciler."""

from __future__ import annotations

from dataclasses import dataclass

from ..envelope import Envelope


@dataclass(frozen=True, slots=True)
class PendingEvent:
    """An envelope appended in a unit of work, not yet written."""

    envelope: Envelope
    partition_key: str
    created_at: float


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """A stored outbox row. `seq` orders rows; within a partition key it is publish order."""

    seq: int
    envelope: Envelope
    partition_key: str
    created_at: float
    sent_at: float | None = None
    stream: str | None = None
    stream_seq: int | None = None


@dataclass(frozen=True, slots=True)
class SentMark:
    """A publish ack for one row: where the stream stored it."""

    seq: int
    stream: str
    stream_seq: int


@dataclass(frozen=True, slots=True)
class OutboxStats:
    pending: int
    oldest_age_s: float
