from __future__ import annotations

import pytest

from pq_domain.events import BarCompleted
from pq_domain.symbol import Symbol
from pq_runtime.envelope import Envelope, EnvelopeError


def _event() -> BarCompleted:
    from pq_domain.bar import Bar
    from pq_domain.interval import Interval

    bar = Bar(t=60_000, o=1.0, h=2.0, l=0.5, c=1.5, v=10.0)
    return BarCompleted(Symbol.parse("NASDAQ:AAPL"), Interval.parse("1m"), bar, ticks=3)


def test_headers_follow_the_contract() -> None:
    e = Envelope.of(
        _event(),
        "pq.bars.completed.NASDAQ.AAPL.1m",
        correlation_id="c1",
        traceparent="00-" + "1" * 32 + "-" + "2" * 16 + "-01",
    )
    assert e.headers() == {
        "Nats-Msg-Id": _event().event_id,
        "Pq-Event-Type": "BarCompleted",
        "Pq-Schema-Version": "1",
        "X-Correlation-ID": "c1",
        "traceparent": "00-" + "1" * 32 + "-" + "2" * 16 + "-01",
    }


def test_a_received_message_round_trips() -> None:
    e = Envelope.of(_event(), "pq.bars.completed.NASDAQ.AAPL.1m", correlation_id="c1")
    back = Envelope.from_message(e.subject, e.headers(), e.payload)
    assert back == e
    assert BarCompleted.from_payload(back.data()) == _event()


def test_optional_headers_may_be_missing() -> None:
    e = Envelope.of(_event(), "pq.x")
    assert "X-Correlation-ID" not in e.headers()
    assert Envelope.from_message("pq.x", e.headers(), e.payload).correlation_id is None


@pytest.mark.parametrize(
    "headers",
    [
        None,
        {},
        {"Nats-Msg-Id": "a"},
        {"Nats-Msg-Id": "a", "Pq-Event-Type": "T", "Pq-Schema-Version": "v2"},
        {"Nats-Msg-Id": "a", "Pq-Event-Type": "T", "Pq-Schema-Version": ""},
        {"Nats-Msg-Id": "a", "Pq-Event-Type": "T", "Pq-Schema-Version": "1.0"},
        {"Nats-Msg-Id": "a", "Pq-Event-Type": "T", "Pq-Schema-Version": "-1"},
        {"Nats-Msg-Id": "a", "Pq-Event-Type": "T", "Pq-Schema-Version": " 1"},
        {"Nats-Msg-Id": "a", "Pq-Event-Type": "T", "Pq-Schema-Version": "1_0"},
        {"Nats-Msg-Id": "a", "Pq-Event-Type": "T", "Pq-Schema-Version": "9" * 5000},
    ],
)
def test_a_message_without_a_valid_envelope_is_a_typed_error(
    headers: dict[str, str] | None,
) -> None:
    with pytest.raises(EnvelopeError):
        Envelope.from_message("pq.x", headers, b"{}")


def test_undecodable_payload_is_a_typed_error() -> None:
    e = Envelope.from_message("pq.x", {"Nats-Msg-Id": "a", "Pq-Event-Type": "T"}, b"\x00")
    with pytest.raises(EnvelopeError):
        e.data()
