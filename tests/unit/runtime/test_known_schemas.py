"""F4: the event type + schema version rule every BatchConsumer applies."""

from __future__ import annotations

import pytest

from pq_domain.events import BarCompleted, BarSynced, QuoteReceived
from pq_runtime.envelope import Envelope
from pq_runtime.messaging import KnownSchemas, PermanentError, UnknownSchema


def envelope(event_type: str, version: int) -> Envelope:
    return Envelope("id-1", event_type, version, "pq.x", b"{}")


def test_declared_events_are_read_at_their_versions_only() -> None:
    schemas = KnownSchemas.of((BarCompleted, BarSynced))
    schemas.check(envelope("BarCompleted", 1))
    schemas.check(envelope("BarSynced", 1))
    with pytest.raises(UnknownSchema, match="BarCompleted schema version 2 is unknown"):
        schemas.check(envelope("BarCompleted", 2))
    with pytest.raises(UnknownSchema, match="'QuoteReceived' is not one of"):
        schemas.check(envelope("QuoteReceived", 1))


@pytest.mark.parametrize("version", [0, 2, 10**20])
def test_without_a_declaration_contract_events_must_carry_their_version(version: int) -> None:
    schemas = KnownSchemas.of(())
    schemas.check(envelope("QuoteReceived", QuoteReceived.SCHEMA_VERSION))
    with pytest.raises(UnknownSchema):
        schemas.check(envelope("QuoteReceived", version))


def test_without_a_declaration_other_types_are_left_to_the_handler() -> None:
    KnownSchemas.of(()).check(envelope("CounterIncremented", 7))


def test_an_unknown_schema_is_permanent() -> None:
    assert issubclass(UnknownSchema, PermanentError)  # dead-lettered at once, never retried
