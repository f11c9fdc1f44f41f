"""What a durable batch consumer is: stream, name, filter, batch and redelivery policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from .known_schemas import VersionedEvent

Idempotency = Literal["inbox", "natural_key"]


@dataclass(frozen=True, slots=True)
class ConsumerSpec:
    """`idempotency="inbox"`: applied event ids are recorded per consumer in the same
    transaction and skipped on redelivery. `"natural_key"`: the handler's writes are
    upserts by a natural key (e.g. symbol, interval, t), so reapplying is harmless.

    `events`: the event classes this consumer reads. A message of another type, or of
    another `Pq-Schema-Version` than its class's, is dead-lettered at once. Empty: the
    contract's table of versions applies to contract events, other types pass through
    (see known_schemas.py)."""

    stream: str
    durable: str
    filter_subjects: tuple[str, ...] = ()
    batch_size: int = 500
    max_deliver: int = 5
    backoff_s: tuple[float, ...] = (0.5, 2.0, 10.0, 30.0)
    ack_wait_s: float = 30.0
    max_ack_pending: int = 10_000
    fetch_timeout_s: float = 1.0
    stall_check_s: float = 5.0
    idempotency: Idempotency = "inbox"
    events: tuple[type[VersionedEvent], ...] = ()

    def delay_after(self, delivered: int) -> float:
        """Redelivery delay after the `delivered`-th attempt failed."""
        if not self.backoff_s:
            return 0.0
        return self.backoff_s[min(delivered, len(self.backoff_s)) - 1]

    def config(self) -> ConsumerConfig:
        subjects = list(self.filter_subjects)
        return ConsumerConfig(
            durable_name=self.durable,
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=self.ack_wait_s,
            # One extra delivery beyond ours: a process that died during the last attempt
            # still gets the message once more, and dead-letters it without handling.
            max_deliver=self.max_deliver + 1,
            max_ack_pending=self.max_ack_pending,
            filter_subject=subjects[0] if len(subjects) == 1 else None,
            filter_subjects=subjects if len(subjects) > 1 else None,
        )
