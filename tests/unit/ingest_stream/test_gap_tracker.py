from __future__ import annotations

from pq_domain import Symbol
from pq_ingest_stream.model.backfill_plan import Gap
from pq_ingest_stream.model.gap_tracker import GapTracker
from pq_ingest_stream.model.last_quotes import LastQuotes
from pq_ingest_stream.model.token_bucket import TokenBucket

A, B = Symbol("NASDAQ", "AAPL"), Symbol("NYSE", "KO")


def test_gaps_stay_open_while_the_session_is_down() -> None:
    tracker = GapTracker(settle_s=1.0)
    tracker.open(A, 100, now=0.0)
    assert tracker.close_due(100.0, connected_at=None, resume_ms=500) == []
    assert tracker.is_open(A)


def test_gaps_close_once_the_session_was_up_for_the_settle_time() -> None:
    tracker = GapTracker(settle_s=1.0)
    tracker.open(A, 100, now=0.0)
    assert tracker.close_due(5.5, connected_at=5.0, resume_ms=500) == []
    assert tracker.close_due(6.0, connected_at=5.0, resume_ms=500) == [Gap(A, 100, 500)]
    assert not tracker.is_open(A)


def test_reopening_widens_to_the_earlier_start() -> None:
    tracker = GapTracker(settle_s=0.0)
    tracker.open(A, 200, now=0.0)
    tracker.open(A, 100, now=1.0)
    tracker.open(A, 300, now=2.0)
    tracker.open(B, None, now=0.0)
    tracker.open(B, 100, now=0.0)  # None (never streamed) is the widest already
    assert sorted(tracker.close_due(3.0, 0.0, 900), key=lambda g: str(g.symbol)) == [
        Gap(A, 100, 900),
        Gap(B, None, 900),
    ]


def test_last_quotes_keep_busy_symbols_dirty() -> None:
    last = LastQuotes()
    last.saw(A, 10)
    last.saw(A, 5)  # older: ignored
    last.saw(B, 20)
    assert last.newest_ms == 20
    assert last.take_dirty(keep={B}) == {A: 10}
    assert last.take_dirty(keep=set()) == {B: 20}
    assert last.take_dirty(keep=set()) == {}


def test_the_token_bucket_allows_a_burst_then_the_rate() -> None:
    bucket = TokenBucket(rate=2.0, burst=3, now=0.0)
    assert [bucket.try_take(0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.wait_s(0.0) == 0.5
    assert bucket.try_take(0.5)
    assert not bucket.try_take(0.5)
