"""Dropped quotes open gaps: coalesced while drops go on, covering every bucket they touched."""

from __future__ import annotations

from pq_domain import Symbol
from pq_ingest_stream.model.backfill_plan import Gap
from pq_ingest_stream.model.gap_tracker import GapTracker

A = Symbol("NASDAQ", "AAPL")
T0 = 1_741_186_800_000  # 2025-03-05 15:00 UTC


def test_a_drop_gap_covers_exactly_the_dropped_range() -> None:
    tracker = GapTracker(settle_s=1.0)
    tracker.dropped(A, T0 + 10, T0 + 90, now=0.0)
    # resume_ms (the shard's newest quote) may lag the dropped ones: the drop's end counts
    assert tracker.close_due(1.0, connected_at=0.0, resume_ms=T0 + 50) == [Gap(A, T0 + 10, T0 + 90)]


def test_drops_that_go_on_keep_one_gap_open_and_widen_it() -> None:
    tracker = GapTracker(settle_s=1.0, max_open_s=30.0)
    for k in range(10):  # a drop every 0.5 s: never quiet for the settle time
        tracker.dropped(A, T0 + 100 * k, T0 + 100 * k + 50, now=0.5 * k)
        assert tracker.close_due(0.5 * k + 0.4, connected_at=0.0, resume_ms=T0) == []
    assert tracker.close_due(4.5 + 1.0, connected_at=0.0, resume_ms=T0) == [Gap(A, T0, T0 + 950)]


def test_drops_that_never_stop_are_still_closed_a_window_at_a_time() -> None:
    tracker = GapTracker(settle_s=1.0, max_open_s=5.0)
    closed: list[Gap] = []
    for k in range(22):  # 10.5 s of drops, one every 0.5 s
        now = 0.5 * k
        tracker.dropped(A, T0 + 1000 * k, T0 + 1000 * k + 1, now=now)
        closed += tracker.close_due(now, connected_at=0.0, resume_ms=T0)
    assert [g.since_ms for g in closed] == [T0, T0 + 11_000]
    assert [g.resume_ms for g in closed] == [T0 + 10_001, T0 + 21_001]


def test_an_interruption_and_drops_make_one_gap_to_where_quotes_flow_again() -> None:
    tracker = GapTracker(settle_s=1.0)
    tracker.dropped(A, T0 + 500, T0 + 600, now=0.0)
    tracker.open(A, T0 + 100, now=0.2)  # a reconnect: the last quote before it
    assert tracker.close_due(2.0, connected_at=1.0, resume_ms=T0 + 9_000) == [
        Gap(A, T0 + 100, T0 + 9_000)
    ]


def test_a_gap_closed_at_once_when_its_stream_ends() -> None:
    tracker = GapTracker(settle_s=10.0)
    tracker.dropped(A, T0 + 1, T0 + 2, now=0.0)
    assert tracker.close_now(A, resume_ms=T0) == Gap(A, T0 + 1, T0 + 2)
    assert not tracker.is_open(A)
    assert tracker.close_now(A, resume_ms=T0) is None
