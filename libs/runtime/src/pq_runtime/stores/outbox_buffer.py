"""The outbox side of a unit of work: envelopes appended now, written at commit."""

from __future__ import annotations

import time

from ..envelope import DomainEvent, Envelope
from ..telemetry.context import current_correlation_id, current_traceparent
from .records import PendingEvent


class OutboxBuffer:
    """Collects events for the outbox rows of the enclosing transaction.

    The correlation id and traceparent are taken from the current context at append
    time (the request or message being handled) and stored in the row, so they reach
    the consumer even though the relay publishes later, from another task.
    """

    def __init__(self) -> None:
        self.pending: list[PendingEvent] = []

    def add(
        self, event: DomainEvent, subject: str, *, partition_key: str | None = None
    ) -> Envelope:
        """Append a domain event for `subject`; per-key order defaults to per-subject."""
        envelope = Envelope.of(
            event,
            subject,
            correlation_id=current_correlation_id(),
            traceparent=current_traceparent(),
        )
        self.append(envelope, partition_key=partition_key)
        return envelope

    def append(self, envelope: Envelope, *, partition_key: str | None = None) -> None:
        self.pending.append(PendingEvent(envelope, partition_key or envelope.subject, time.time()))

    def __len__(self) -> int:
        return len(self.pending)
