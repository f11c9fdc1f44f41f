"""Which (event type, schema version) pairs a consumer can read; the rest is dead-lettered.

The rule, for every BatchConsumer (docs/fuzzing.md, F4): a message whose
`Pq-Event-Type` + `Pq-Schema-Version` the consumer does not know is never handed to
the handler. It goes to the DLQ at once (permanent), with an error naming both.

- A consumer that declares its events (`ConsumerSpec.events`) knows exactly those
  types, each at its class's `SCHEMA_VERSION`.
- One that declares none still knows the contract's table (pq_domain SCHEMA_VERSIONS):
  a contract event must carry that version; a type outside the table is left to the
  handler, as before (e.g. a service's own messages).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from pq_domain.events import SCHEMA_VERSIONS

from ..envelope import Envelope
from .delivery import PermanentError


class VersionedEvent(Protocol):
    EVENT_TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]


class UnknownSchema(PermanentError):
    """An event type or schema version this consumer cannot read."""


@dataclass(frozen=True, slots=True)
class KnownSchemas:
    versions: Mapping[str, int]
    only_these: bool  # False: types outside `versions` pass through to the handler

    @classmethod
    def of(cls, events: Sequence[type[VersionedEvent]]) -> KnownSchemas:
        if not events:
            return cls(SCHEMA_VERSIONS, only_these=False)
        return cls({e.EVENT_TYPE: e.SCHEMA_VERSION for e in events}, only_these=True)

    def check(self, envelope: Envelope) -> None:
        """`UnknownSchema` when this consumer must not read the message."""
        event_type, version = envelope.event_type, envelope.schema_version
        known = self.versions.get(event_type)
        if known is None:
            if self.only_these:
                reads = ", ".join(sorted(self.versions))
                raise UnknownSchema(f"event type {event_type!r} is not one of {reads}")
            return
        if version != known:
            raise UnknownSchema(
                f"{event_type} schema version {version} is unknown (known: version {known})"
            )
