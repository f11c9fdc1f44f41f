"""A received message, decoded: what a batch handler gets."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from nats.aio.msg import Msg
from opentelemetry import context as otel_context

from ..envelope import Envelope
from ..telemetry.context import context_from_traceparent, correlation_scope


class PermanentError(Exception):
    """Raised by a handler for a message that can never succeed: dead-lettered at once."""


@dataclass(frozen=True, slots=True)
class Delivery:
    envelope: Envelope
    data: dict[str, Any]
    delivered: int  # 1 on the first delivery
    stream_seq: int
    msg: Msg = field(repr=False, compare=False)

    @property
    def event_id(self) -> str:
        return self.envelope.event_id

    @classmethod
    def parse(cls, msg: Msg) -> Delivery:
        """Decode a JetStream message; `EnvelopeError` when it is not a valid envelope."""
        envelope = Envelope.from_message(msg.subject, msg.headers, msg.data)
        data = envelope.data()
        meta = msg.metadata
        return cls(envelope, data, meta.num_delivered, meta.sequence.stream, msg)

    @contextmanager
    def scope(self) -> Iterator[None]:
        """This message's correlation id and trace context as the current ones.

        Events appended to the outbox inside the block carry them on.
        """
        token = otel_context.attach(context_from_traceparent(self.envelope.traceparent))
        try:
            with correlation_scope(self.envelope.correlation_id):
                yield
        finally:
            otel_context.detach(token)
