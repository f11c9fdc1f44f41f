"""The fuzz corpus of one event type: field and message mutants, interleaved with valid events."""

from __future__ import annotations

import random
from collections.abc import Iterator

from .cases import FuzzCase, envelope_headers
from .field_mutations import field_mutations
from .message_mutations import message_mutants
from .valid_events import ValidEventFactory


def corpus(
    event_type: str, factory: ValidEventFactory, seed: int, *, randoms: int = 20
) -> list[FuzzCase]:
    """Every mutant followed by a valid event, so each bad message has good ones behind it."""
    make = factory.maker(event_type)
    rng = random.Random(f"{seed}:{event_type}")
    out: list[FuzzCase] = []
    for case in _mutants(event_type, factory, rng, seed, randoms):
        out.append(case)
        out.append(make().case())
    return out


def _mutants(
    event_type: str, factory: ValidEventFactory, rng: random.Random, seed: int, randoms: int
) -> Iterator[FuzzCase]:
    make = factory.maker(event_type)
    for label, edit, valid in field_mutations(event_type):
        e = make()
        # Unique ids: a still-valid mutant must not be dropped as a duplicate of another.
        headers = envelope_headers(f"fuzz:{label}:{e.event_id}", e.event_type)
        yield FuzzCase(f"{event_type}.{label}", e.subject, edit(e.payload), headers, valid)
    yield from message_mutants(event_type, make, rng, seed, randoms=randoms)
