"""The quote buffer: nothing lost while the consumer keeps up, newest kept when it does not."""

from __future__ import annotations

import pytest

from pq_domain import Quote, Symbol
from pq_tradingview.conflating_buffer import ConflatingBuffer, StreamClosed
from pq_tradingview.stream_events import QuotesDropped, SymbolRejected

A, B = Symbol("X", "A"), Symbol("X", "B")


def _quote(symbol: Symbol, ts: int) -> Quote:
    return Quote(symbol, 1.0, float(ts), ts)


async def test_quotes_come_out_in_arrival_order() -> None:
    buffer = ConflatingBuffer()
    for q in (_quote(A, 1), _quote(B, 2), _quote(A, 3)):
        buffer.put_quote(q)
    assert [await buffer.get() for _ in range(3)] == [_quote(A, 1), _quote(B, 2), _quote(A, 3)]


async def test_a_full_backlog_drops_its_oldest_quote_and_keeps_the_newest() -> None:
    buffer = ConflatingBuffer(depth=2)
    for ts in range(1, 6):
        buffer.put_quote(_quote(A, ts))
    buffer.put_quote(_quote(B, 9))
    got = [await buffer.get() for _ in range(4)]
    assert [(q.symbol, q.ts) for q in got if isinstance(q, Quote)] == [(A, 4), (A, 5), (B, 9)]
    assert buffer.conflated == 3
    assert len(buffer) == 0


async def test_drops_are_reported_as_one_range_just_before_the_symbols_next_quote() -> None:
    buffer = ConflatingBuffer(depth=2)
    buffer.put_quote(_quote(B, 0))
    for ts in range(1, 6):
        buffer.put_quote(_quote(A, ts))  # 1, 2 and 3 are dropped
    got = [await buffer.get() for _ in range(4)]
    assert got == [_quote(B, 0), QuotesDropped(A, 1, 3, 3, next_ts=4), _quote(A, 4), _quote(A, 5)]


async def test_drops_while_the_report_waits_widen_it_and_later_ones_make_a_new_one() -> None:
    buffer = ConflatingBuffer(depth=1)
    buffer.put_quote(_quote(A, 1))
    buffer.put_quote(_quote(A, 2))  # drops 1
    buffer.put_quote(_quote(A, 3))  # drops 2: the waiting report widens
    assert await buffer.get() == QuotesDropped(A, 1, 2, 2, next_ts=3)
    buffer.put_quote(_quote(A, 4))  # drops 3 after the report was served
    assert [await buffer.get() for _ in range(2)] == [
        QuotesDropped(A, 3, 3, 1, next_ts=4),
        _quote(A, 4),
    ]
    assert len(buffer) == 0


async def test_a_discarded_symbols_drops_are_not_reported() -> None:
    buffer = ConflatingBuffer(depth=1)
    buffer.put_quote(_quote(A, 1))
    buffer.put_quote(_quote(A, 2))
    buffer.put_quote(_quote(B, 3))
    buffer.discard(A)
    assert await buffer.get() == _quote(B, 3)
    assert len(buffer) == 0


async def test_rejections_are_served_first_and_bounded() -> None:
    buffer = ConflatingBuffer(max_rejections=1)
    buffer.put_quote(_quote(A, 1))
    buffer.put_rejection(SymbolRejected(B, "first"))
    buffer.put_rejection(SymbolRejected(B, "second"))
    assert await buffer.get() == SymbolRejected(B, "second")
    assert buffer.dropped_rejections == 1
    assert await buffer.get() == _quote(A, 1)


async def test_discarded_symbols_are_not_served() -> None:
    buffer = ConflatingBuffer()
    buffer.put_quote(_quote(A, 1))
    buffer.put_quote(_quote(B, 2))
    buffer.discard(A)
    assert await buffer.get() == _quote(B, 2)


async def test_close_ends_the_consumer_after_the_backlog() -> None:
    buffer = ConflatingBuffer()
    buffer.put_quote(_quote(A, 1))
    buffer.close()
    assert await buffer.get() == _quote(A, 1)
    with pytest.raises(StreamClosed):
        await buffer.get()
