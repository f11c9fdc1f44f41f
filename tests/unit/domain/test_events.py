import json
from typing import Any

import pytest

from pq_domain import Bar, Interval, Symbol
from pq_domain.events import (
    BarCompleted,
    BarSynced,
    BarUpdated,
    InvalidEvent,
    QuoteReceived,
    SyncRequested,
)

BRK = Symbol.parse("NYSE:BRK.B")
BAR = Bar(t=1_704_895_200_000, o=1.5, h=2.25, l=1.0, c=2.0, v=1234.5)

EVENTS: list[Any] = [
    SyncRequested("job-1", BRK, Interval.D1, bars=500),
    SyncRequested("job-2", BRK, Interval.M5, start=1_700_000_000_000, end=1_700_086_400_000),
    QuoteReceived(BRK, 412.5, 1_000_000.0, 1_704_895_212_345, bid=412.4, ask=412.6),
    QuoteReceived(BRK, 412.5, 0.0, 1_704_895_212_345, delayed=True),
    BarSynced("job-1", BRK, Interval.D1, (BAR, Bar(BAR.t + 86_400_000, 2, 3, 1, 2, 0)), 2, 3),
    BarCompleted(BRK, Interval.MN1, BAR, ticks=17, revision=2),
]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: type(e).__name__)
def test_events_survive_a_json_round_trip(event: Any) -> None:
    payload = json.loads(json.dumps(event.to_payload()))
    assert type(event).from_payload(payload) == event


def test_bar_completed_payload_has_the_contract_fields() -> None:
    payload = BarCompleted(BRK, Interval.H1, BAR, ticks=3, revision=1).to_payload()
    assert payload == {
        "symbol": "NYSE:BRK.B",
        "interval": "1h",
        "t": 1_704_895_200_000,
        "o": 1.5,
        "h": 2.25,
        "l": 1.0,
        "c": 2.0,
        "v": 1234.5,
        "ticks": 3,
        "revision": 1,
    }


def test_bar_updated_has_the_shape_of_bar_completed() -> None:
    updated = BarUpdated(BRK, Interval.H1, BAR, ticks=3).to_payload()
    assert updated == BarCompleted(BRK, Interval.H1, BAR, ticks=3).to_payload()


def test_event_ids_are_natural_keys() -> None:
    first = BarCompleted(BRK, Interval.M1, BAR, ticks=1)
    assert first.event_id == f"bar-completed:NYSE:BRK.B:1m:{BAR.t}:0"
    assert BarCompleted(BRK, Interval.M1, BAR, ticks=2, revision=1).event_id != first.event_id


@pytest.mark.parametrize(
    ("cls", "payload", "reason"),
    [
        (QuoteReceived, {"symbol": "NYSE:X", "price": 1.0, "volume": 1.0}, "ts"),
        (QuoteReceived, {"symbol": "NYSEX", "price": 1.0, "volume": 1.0, "ts": 1}, "':'"),
        (BarCompleted, {"symbol": "NYSE:X", "interval": "2m", "t": 0, "o": 1, "h": 1,
                        "l": 1, "c": 1, "v": 0, "ticks": 1}, "2m"),
        (BarCompleted, {"symbol": "NYSE:X", "interval": "1m", "t": 0, "o": 1, "h": 0,
                        "l": 1, "c": 1, "v": 0, "ticks": 1}, "low <= open"),
        (SyncRequested, {"symbol": "NYSE:X", "interval": "1m"}, "job_id"),
    ],
)  # fmt: skip
def test_malformed_payloads_are_rejected(cls: Any, payload: dict[str, Any], reason: str) -> None:
    with pytest.raises(InvalidEvent, match=reason):
        cls.from_payload(payload)
