from __future__ import annotations

from pq_domain.events import QuoteReceived
from pq_domain.symbol import Symbol
from pq_runtime.stores import OutboxBuffer
from pq_runtime.telemetry import correlation_scope


def _quote() -> QuoteReceived:
    return QuoteReceived(Symbol.parse("NASDAQ:AAPL"), price=1.0, volume=2.0, ts=3)


def test_partition_key_defaults_to_the_subject() -> None:
    buf = OutboxBuffer()
    buf.add(_quote(), "pq.quotes.NASDAQ.AAPL")
    buf.add(_quote(), "pq.quotes.NASDAQ.AAPL", partition_key="NASDAQ:AAPL")
    assert [p.partition_key for p in buf.pending] == ["pq.quotes.NASDAQ.AAPL", "NASDAQ:AAPL"]


def test_the_current_correlation_id_is_stored_with_the_event() -> None:
    buf = OutboxBuffer()
    with correlation_scope("req-1"):
        e = buf.add(_quote(), "pq.quotes.NASDAQ.AAPL")
    assert e.correlation_id == "req-1"
    assert e.traceparent is None  # no span is recording
    assert buf.add(_quote(), "s").correlation_id is None
