"""The envelope of every event on the wire: identity, type, version, subject, trace, payload.

Header mapping (ARCHITECTURE.md, Contract: NATS subjects and events):

| field          | header              |
|----------------|---------------------|
| event_id       | `Nats-Msg-Id`       |
| event_type     | `Pq-Event-Type`     |
| schema_version | `Pq-Schema-Version` |
| correlation_id | `X-Correlation-ID`  |
| traceparent    | `traceparent`       |
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from .codec import CodecError, decode, encode

MSG_ID = "Nats-Msg-Id"
EVENT_TYPE = "Pq-Event-Type"
SCHEMA_VERSION = "Pq-Schema-Version"
CORRELATION_ID = "X-Correlation-ID"
TRACEPARENT = "traceparent"


class EnvelopeError(ValueError):
    """A message that is not a valid PocketQuant envelope (missing or bad headers, bad JSON)."""


class DomainEvent(Protocol):
    """What pq_domain events provide (QuoteReceived, BarSynced, BarCompleted, SyncRequested)."""

    EVENT_TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    @property
    def event_id(self) -> str: ...

    def to_payload(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class Envelope:
    event_id: str
    event_type: str
    schema_version: int
    subject: str
    payload: bytes
    correlation_id: str | None = None
    traceparent: str | None = None

    @classmethod
    def of(
        cls,
        event: DomainEvent,
        subject: str,
        *,
        correlation_id: str | None = None,
        traceparent: str | None = None,
    ) -> Envelope:
        return cls(
            event_id=event.event_id,
            event_type=event.EVENT_TYPE,
            schema_version=event.SCHEMA_VERSION,
            subject=subject,
            payload=encode(event.to_payload()),
            correlation_id=correlation_id,
            traceparent=traceparent,
        )

    def headers(self) -> dict[str, str]:
        h = {
            MSG_ID: self.event_id,
            EVENT_TYPE: self.event_type,
            SCHEMA_VERSION: str(self.schema_version),
        }
        if self.correlation_id:
            h[CORRELATION_ID] = self.correlation_id
        if self.traceparent:
            h[TRACEPARENT] = self.traceparent
        return h

    @classmethod
    def from_message(
        cls, subject: str, headers: Mapping[str, str] | None, payload: bytes
    ) -> Envelope:
        """Rebuild an envelope from a received message; `EnvelopeError` when it is not one."""
        h = headers or {}
        event_id = h.get(MSG_ID)
        event_type = h.get(EVENT_TYPE)
        if not event_id or not event_type:
            raise EnvelopeError(f"missing {MSG_ID} or {EVENT_TYPE} header")
        return cls(
            event_id=event_id,
            event_type=event_type,
            schema_version=_schema_version(h.get(SCHEMA_VERSION, "1")),
            subject=subject,
            payload=payload,
            correlation_id=h.get(CORRELATION_ID) or None,
            traceparent=h.get(TRACEPARENT) or None,
        )

    def data(self) -> dict[str, Any]:
        """The decoded payload; `EnvelopeError` when it is not a JSON object."""
        try:
            return decode(self.payload)
        except CodecError as exc:
            raise EnvelopeError(str(exc)) from exc


def _schema_version(text: str) -> int:
    """A version is a small ASCII decimal number: int() alone would also take " 1", "1_0"
    or non-ASCII digits."""
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        raise EnvelopeError(f"bad {SCHEMA_VERSION} header {text[:40]!r}")
    return int(text)
