import json
from typing import Any

import pytest

from pq_domain import Bar, Interval, Symbol
from pq_domain.events import (
    SCHEMA_VERSIONS,
    BarCompleted,
    BarSynced,
    BarUpdated,
    InvalidEvent,
    QuoteReceived,
    SyncJobFailed,
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


QUOTE = {"symbol": "NYSE:X", "price": 1.5, "volume": 10.0, "ts": 1_704_067_200_000}
SYNC = {"job_id": "job-1", "symbol": "NYSE:X", "interval": "1d"}
BAR_FIELDS = {"symbol": "NYSE:X", "interval": "1h", "t": 0, "o": 1.0, "h": 2.0, "l": 0.5,
              "c": 1.5, "v": 3.0, "ticks": 1}  # fmt: skip


@pytest.mark.parametrize(
    ("cls", "payload", "reason"),
    [
        (QuoteReceived, {**QUOTE, "price": True}, "'price' must be a number"),
        (QuoteReceived, {**QUOTE, "price": "12"}, "'price' must be a number"),
        (QuoteReceived, {**QUOTE, "price": "NaN"}, "'price' must be a number"),
        (QuoteReceived, {**QUOTE, "volume": float("inf")}, "'volume' must be a finite"),
        (QuoteReceived, {**QUOTE, "price": 10**30}, "'price' must be a finite"),
        (QuoteReceived, {**QUOTE, "ts": 1.5}, "'ts' must be an integer"),
        (QuoteReceived, {**QUOTE, "ts": "12"}, "'ts' must be an integer"),
        (QuoteReceived, {**QUOTE, "ts": 2**63}, "'ts' is outside the 64-bit"),
        (QuoteReceived, {**QUOTE, "bid": "1"}, "'bid' must be a number"),
        (QuoteReceived, {**QUOTE, "delayed": 1}, "'delayed' must be true or false"),
        (QuoteReceived, {**QUOTE, "delayed": None}, "'delayed' must be true or false"),
        (SyncRequested, {**SYNC, "job_id": None}, "'job_id' must be a string, got null"),
        (SyncRequested, {**SYNC, "job_id": [1, 2]}, "'job_id' must be a string"),
        (SyncRequested, {**SYNC, "job_id": ""}, "'job_id' must not be empty"),
        (SyncRequested, {**SYNC, "bars": 10**30}, "'bars' is outside"),
        (SyncRequested, {**SYNC, "bars": True}, "'bars' must be an integer"),
        (SyncRequested, {**SYNC, "interval": 60}, "'interval' must be a string"),
        (BarCompleted, {**BAR_FIELDS, "ticks": 2.0}, "'ticks' must be an integer"),
        (BarCompleted, {**BAR_FIELDS, "revision": None}, "'revision' must be an integer"),
        (BarCompleted, {**BAR_FIELDS, "o": "1"}, "'o' must be a number"),
        (BarSynced, {**SYNC, "bars": "abc"}, "'bars' must be a list"),
        (BarSynced, {**SYNC, "bars": [1, 2]}, "a bar must be an object"),
        (BarSynced, {**SYNC, "bars": [], "chunk": None}, "'chunk' must be an integer"),
    ],
)  # fmt: skip
def test_payload_fields_are_read_strictly(cls: Any, payload: dict[str, Any], reason: str) -> None:
    with pytest.raises(InvalidEvent, match=reason):
        cls.from_payload(payload)


def test_what_the_contract_allows_is_still_read() -> None:
    quote = QuoteReceived.from_payload({**QUOTE, "price": 7, "bid": None, "volume": 1e308})
    assert (quote.price, quote.bid, quote.ask, quote.delayed) == (7.0, None, None, False)
    assert type(quote.price) is float
    sync = SyncRequested.from_payload({**SYNC, "bars": None, "start": 0, "end": 2**63 - 1})
    assert (sync.bars, sync.start, sync.end) == (None, 0, 2**63 - 1)
    assert SyncJobFailed.from_payload({"job_id": "j", "error": "", "at": 1}).error == ""


def test_every_contract_event_has_its_schema_version_in_the_table() -> None:
    assert SCHEMA_VERSIONS["QuoteReceived"] == QuoteReceived.SCHEMA_VERSION == 1
    assert set(SCHEMA_VERSIONS) >= {"BarCompleted", "BarSynced", "SyncRequested", "SymbolResolved"}
    assert all(v == 1 for v in SCHEMA_VERSIONS.values())
