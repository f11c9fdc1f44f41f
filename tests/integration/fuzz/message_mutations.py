"""Whole-message mutations: random bytes, truncation, non-object JSON, bad headers, huge sizes.

Random cases come from a seeded generator (the seed is part of each label), so a failing
case is reproduced by its label alone.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

from pq_runtime.codec import encode
from pq_runtime.envelope import EVENT_TYPE, MSG_ID, SCHEMA_VERSION

from .cases import FuzzCase, envelope_headers
from .valid_events import ValidEvent

NOT_OBJECTS: tuple[tuple[str, bytes], ...] = (
    ("empty", b""),
    ("whitespace", b"  \n"),
    ("null", b"null"),
    ("array", b"[1,2,3]"),
    ("string", b'"QuoteReceived"'),
    ("number", b"42"),
    ("invalid_utf8", b'{"symbol":"\xff\xfe"}'),
    ("utf8_bom", b"\xef\xbb\xbf{}"),
    ("lone_surrogate", b'{"symbol":"\\ud800"}'),
    ("trailing_garbage", b'{"a":1}}'),
    ("two_objects", b'{"a":1}{"b":2}'),
    ("nested_2000_bytes", b"[" * 400 + b"]" * 400),  # shallow enough for the decoder
)
OTHER_TYPES = ("QuoteReceived", "BarCompleted", "BarSynced", "SyncRequested", "Nope", "")


def message_mutants(
    event_type: str, make: Callable[[], ValidEvent], rng: random.Random, seed: int, *, randoms: int
) -> Iterator[FuzzCase]:
    for name, payload in NOT_OBJECTS:
        yield _case(make(), f"payload.{name}", payload)
    for i in range(randoms):
        size = rng.choice((1, 7, 64, 512, 4096))
        yield _case(make(), f"random_bytes_{seed}_{i}", rng.randbytes(size))
    for i in range(randoms):
        e = make()
        full = encode(e.payload)
        yield _case(e, f"truncated_{seed}_{i}", full[: rng.randrange(len(full))])
    yield from _header_mutants(event_type, make)


def _header_mutants(event_type: str, fresh: Callable[[], ValidEvent]) -> Iterator[FuzzCase]:
    def variant(label: str, edit: Callable[[dict[str, str]], dict[str, str] | None]) -> FuzzCase:
        e = fresh()
        headers = edit(envelope_headers(f"fuzz:{e.event_id}", event_type))
        return FuzzCase(f"{event_type}.{label}", e.subject, encode(e.payload), headers, False)

    yield variant("headers.none", lambda h: None)
    yield variant("headers.no_msg_id", lambda h: _drop(h, MSG_ID))
    yield variant("headers.no_event_type", lambda h: _drop(h, EVENT_TYPE))
    for version in ("abc", "", "1.0", "2", "0", "-1", "99999999999999999999"):
        yield variant(f"headers.schema_version={version!r}", _setting(SCHEMA_VERSION, version))
    for other in OTHER_TYPES:
        if other != event_type:
            yield variant(f"headers.event_type={other!r}", _setting(EVENT_TYPE, other))


def huge_valid(make: Callable[[], ValidEvent], max_payload: int, slack: int) -> FuzzCase:
    """A valid event padded with an extra field to `max_payload - slack` bytes."""
    e = make()
    base = len(encode({**e.payload, "padding": ""}))
    payload = encode({**e.payload, "padding": "p" * (max_payload - slack - base)})
    headers = envelope_headers(f"fuzz:{e.event_id}", e.event_type)
    return FuzzCase(f"{e.event_type}.huge_valid_{slack}", e.subject, payload, headers, True)


def huge_garbage(make: Callable[[], ValidEvent], max_payload: int, slack: int) -> FuzzCase:
    e = make()
    payload = b"{" + b"x" * (max_payload - slack - 1)
    return _case(e, f"huge_garbage_{slack}", payload)


def _case(e: ValidEvent, label: str, payload: bytes) -> FuzzCase:
    headers = envelope_headers(f"fuzz:{label}:{e.event_id}", e.event_type)
    return FuzzCase(f"{e.event_type}.{label}", e.subject, payload, headers, False)


def _drop(headers: dict[str, str], key: str) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k != key}


def _setting(key: str, value: str) -> Callable[[dict[str, str]], dict[str, str]]:
    return lambda headers: {**headers, key: value}
