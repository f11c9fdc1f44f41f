"""A fuzz case: one message to publish, and whether the contract says it is a valid event."""

from __future__ import annotations

from dataclasses import dataclass

from pq_runtime.envelope import EVENT_TYPE, MSG_ID, SCHEMA_VERSION


@dataclass(frozen=True, slots=True)
class FuzzCase:
    label: str  # what was done, e.g. "QuoteReceived.price=true"; stable across runs
    subject: str
    payload: bytes
    headers: dict[str, str] | None
    strictly_valid: bool  # the contract's reading, not what today's decoders accept

    def describe(self) -> str:
        """A reproducer: subject, headers and (the start of) the payload bytes."""
        head = self.payload[:300]
        more = f"... ({len(self.payload)} bytes)" if len(self.payload) > 300 else ""
        return f"{self.label}: subject={self.subject} headers={self.headers} payload={head!r}{more}"


def envelope_headers(event_id: str, event_type: str, version: str = "1") -> dict[str, str]:
    return {MSG_ID: event_id, EVENT_TYPE: event_type, SCHEMA_VERSION: version}
