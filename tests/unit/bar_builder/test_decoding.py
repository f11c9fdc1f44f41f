from __future__ import annotations

from dataclasses import dataclass

import pytest

from pq_bar_builder.handlers.decoded_batch import DeliveryGap, decode_batch
from pq_bar_builder.model.ack_reply import NotJetStreamReply, ack_fields
from pq_bar_builder.model.quote_decoder import PoisonQuote, QuoteDecoder
from pq_domain import Quote, Symbol
from pq_domain.events import QuoteReceived
from pq_runtime.codec import encode
from pq_runtime.envelope import Envelope

AAPL = Symbol("NASDAQ", "AAPL")
HEADERS = {"Pq-Event-Type": "QuoteReceived", "Pq-Schema-Version": "1", "Nats-Msg-Id": "x"}


def test_ack_reply_v1_and_v2() -> None:
    v1 = "$JS.ACK.PQ_QUOTES_PARTITIONED.bar-builder-p3.1.42.40.1700000000123456789.7"
    assert ack_fields(v1) == (42, 1_700_000_000_123, 7, 40)
    v2 = "$JS.ACK.hub.ACCHASH.S.c.2.43.41.1700000000999000000.0.rand"
    assert ack_fields(v2) == (43, 1_700_000_000_999, 0, 41)
    with pytest.raises(NotJetStreamReply):
        ack_fields("_INBOX.x")


def test_decodes_a_quote_received() -> None:
    q = QuoteReceived(AAPL, 187.25, 1_000.0, 1_700_000_000_000, 187.2, 187.3)
    e = Envelope.of(q, "pq.quotes.NASDAQ.AAPL")
    assert QuoteDecoder().decode(e.payload, e.headers()) == Quote(
        AAPL, 187.25, 1_000.0, 1_700_000_000_000, 187.2, 187.3
    )


def test_integers_are_numbers_and_optional_fields_may_be_absent() -> None:
    payload = encode({"symbol": "NASDAQ:AAPL", "price": 187, "volume": 0, "ts": 5})
    assert QuoteDecoder().decode(payload, HEADERS) == Quote(AAPL, 187.0, 0.0, 5)


GOOD = {"symbol": "X:Y", "price": 1.0, "volume": 1.0, "ts": 1}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", True),  # a bool is not a number
        ("volume", False),
        ("ts", True),
        ("price", "12"),  # no coercion from text
        ("volume", "12"),
        ("ts", "12"),
        ("ts", 1.5),  # epoch ms is an integer
        ("ts", 1.0),
        ("ts", 2**63),  # outside 64 bits
        ("price", float("nan")),  # the codec writes NaN and infinities as null
        ("price", float("inf")),
        ("price", "NaN"),  # float("NaN") used to read it
        ("volume", "NaN"),
        ("price", None),
        ("bid", "12"),
        ("ask", "NaN"),
        ("bid", True),
        ("delayed", "false"),
        ("delayed", None),
    ],
)
def test_strict_field_types_are_poison(field: str, value: object) -> None:
    with pytest.raises(PoisonQuote, match=field):
        QuoteDecoder().decode(encode({**GOOD, field: value}), HEADERS)


@pytest.mark.parametrize(
    ("payload", "headers"),
    [
        (b"{not json", HEADERS),
        (b"[1, 2]", HEADERS),
        (encode({"symbol": "AAPL", "price": 1, "volume": 1, "ts": 1}), HEADERS),  # no exchange
        (encode({"symbol": "X:Y", "price": "nan", "volume": 1, "ts": 1}), HEADERS),
        (b'{"symbol": "X:Y", "price": NaN, "volume": 1, "ts": 1}', HEADERS),  # not JSON
        (b'"X:Y"', HEADERS),  # JSON, but not an object
        (b"12", HEADERS),
        (encode({"symbol": "X:Y", "price": 1, "volume": -1, "ts": 1}), HEADERS),
        (encode({"symbol": "X:Y", "volume": 1, "ts": 1}), HEADERS),
        (encode({"symbol": "X:Y", "price": 1, "volume": 1, "ts": 1}), None),
        (
            encode({"symbol": "X:Y", "price": 1, "volume": 1, "ts": 1}),
            {**HEADERS, "Pq-Event-Type": "BarCompleted"},
        ),
        (
            encode({"symbol": "X:Y", "price": 1, "volume": 1, "ts": 1}),
            {**HEADERS, "Pq-Schema-Version": "2"},
        ),
    ],
)
def test_poison(payload: bytes, headers: dict[str, str] | None) -> None:
    with pytest.raises(PoisonQuote):
        QuoteDecoder().decode(payload, headers)


@dataclass
class FakeMsg:
    seq: int
    data: bytes
    headers: dict[str, str] | None = None
    delivery: int | None = None  # the consumer's delivery number; the stream seq if None

    @property
    def reply(self) -> str:
        delivery = self.seq if self.delivery is None else self.delivery
        return f"$JS.ACK.S.c.1.{self.seq}.{delivery}.{self.seq * 1_000_000}.0"


def test_a_batch_skips_applied_sequences_and_sets_poison_aside() -> None:
    good = encode(QuoteReceived(AAPL, 1.0, 2.0, 3).to_payload())
    msgs = [FakeMsg(4, good, HEADERS), FakeMsg(5, good, HEADERS)]
    msgs += [FakeMsg(6, b"oops", HEADERS), FakeMsg(7, good, HEADERS)]
    batch = decode_batch(msgs, 4, QuoteDecoder(), 4)  # type: ignore[arg-type]
    assert batch.skipped == 1
    assert batch.last_seq == 7
    ((poisoned, _),) = batch.poison
    assert isinstance(poisoned, FakeMsg)
    assert poisoned.seq == 6
    assert len(batch.quotes) == 2
    assert batch.arrivals_ms == [5, 7]


def test_a_delivery_this_worker_never_got_refuses_the_batch() -> None:
    """Another subscriber of the same durable (an old owner) took delivery 3: acking this
    batch would acknowledge it too, and its quote would be lost."""
    good = encode(QuoteReceived(AAPL, 1.0, 2.0, 3).to_payload())
    fine = [FakeMsg(10, good, HEADERS, 1), FakeMsg(12, good, HEADERS, 2)]
    assert decode_batch(fine, 0, QuoteDecoder(), 1).next_delivery == 3  # type: ignore[arg-type]
    gap = [FakeMsg(20, good, HEADERS, 4), FakeMsg(21, good, HEADERS, 5)]
    with pytest.raises(DeliveryGap, match="delivery 4 where 3 was next"):
        decode_batch(gap, 12, QuoteDecoder(), 3)  # type: ignore[arg-type]
    inside = [FakeMsg(20, good, HEADERS, 3), FakeMsg(22, good, HEADERS, 5)]
    with pytest.raises(DeliveryGap):
        decode_batch(inside, 12, QuoteDecoder(), 3)  # type: ignore[arg-type]
