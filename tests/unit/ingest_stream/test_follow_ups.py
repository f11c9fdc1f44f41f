"""Follow-ups: the last bucket of a gap command, synced again once it has closed."""

from __future__ import annotations

import re

from pq_domain import Interval, Symbol, bucket_end, bucket_start, default_session
from pq_ingest_stream.model.backfill_plan import BackfillKind, backfill_command, backfill_job_id
from pq_ingest_stream.model.command_queue import CommandQueue
from pq_ingest_stream.model.follow_ups import FollowUp, FollowUps, follow_up_of

A, B = Symbol("NASDAQ", "AAPL"), Symbol("BINANCE", "BTCUSDT")
T0 = 1_741_186_800_000  # 2025-03-05 15:00 UTC, 10:00 New York
HOUR = 3_600_000
HALF = HOUR // 2


def test_a_command_sent_before_its_last_bucket_closed_gets_a_follow_up_for_it() -> None:
    # AAPL's 1h bars open 09:30, 10:30 ... New York: the last bucket is 09:30-10:30.
    command = backfill_command(A, Interval.H1, T0 - HALF - HOUR, T0 + HALF, BackfillKind.GAP)
    assert follow_up_of(command, event_ms=T0 + 60_000, delay_ms=2_000) == FollowUp(
        A, Interval.H1, T0 - HALF, T0 + HALF
    )
    # closed (plus the delay) when sent: the provider returns it whole
    assert follow_up_of(command, event_ms=T0 + HALF + 2_000, delay_ms=2_000) is None


def test_a_calendar_follow_up_is_the_sessions_bar() -> None:
    session = default_session("NASDAQ")
    end = bucket_end(Interval.D1, T0, session)
    command = backfill_command(A, Interval.D1, T0 - 5 * 24 * HOUR, end, BackfillKind.GAP)
    follow_up = follow_up_of(command, event_ms=T0, delay_ms=0)
    assert follow_up is not None
    assert (follow_up.start, follow_up.end) == (bucket_start(Interval.D1, T0, session), end)


def test_a_follow_up_never_shares_a_job_id_with_a_gap_command_of_the_same_range() -> None:
    # a short gap inside one bucket asks for exactly the bucket its follow-up re-syncs
    follow_up = FollowUp(A, Interval.H1, T0, T0 + HOUR).command()
    assert follow_up.job_id != backfill_job_id(A, Interval.H1, T0, T0 + HOUR)
    assert follow_up.job_id == FollowUp(A, Interval.H1, T0, T0 + HOUR).command().job_id
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", follow_up.job_id)
    assert (follow_up.start, follow_up.end) == (T0, T0 + HOUR)


def test_follow_ups_are_due_once_event_time_is_past_their_end_and_the_delay() -> None:
    waiting = FollowUps(delay_ms=2_000)
    minute = FollowUp(A, Interval.M1, T0, T0 + 60_000)
    hour = FollowUp(B, Interval.H1, T0, T0 + HOUR)
    assert waiting.add(minute)
    assert waiting.add(hour)
    assert not waiting.add(FollowUp(A, Interval.M1, T0, T0 + 60_000))  # another gap's
    assert waiting.take_due(T0 + 61_000) == []
    assert waiting.take_due(T0 + 62_000) == [minute]
    assert waiting.of(B) == (hour,)
    assert len(waiting) == 1
    waiting.discard(B)
    assert len(waiting) == 0
    assert waiting.take_due(T0 + 2 * HOUR) == []


def test_the_queue_merges_commands_of_one_series_and_keeps_kinds_apart() -> None:
    queue = CommandQueue()
    first = backfill_command(A, Interval.M1, T0, T0 + 60_000, BackfillKind.GAP)
    later = backfill_command(A, Interval.M1, T0 + 120_000, T0 + 180_000, BackfillKind.GAP)
    follow_up = FollowUp(A, Interval.M1, T0, T0 + 60_000).command()
    queue.add(BackfillKind.GAP, first)
    queue.add(BackfillKind.GAP, backfill_command(B, Interval.M1, T0, T0 + 1, BackfillKind.GAP))
    queue.add(BackfillKind.FOLLOW_UP, follow_up)
    queue.add(BackfillKind.GAP, later)
    assert len(queue) == 3
    merged = queue.first()
    assert merged is not None
    assert (merged.command.start, merged.command.end) == (T0, T0 + 180_000)
    assert merged.command.job_id == backfill_job_id(A, Interval.M1, T0, T0 + 180_000)
    queue.discard(A)
    assert len(queue) == 1
    assert not queue.has(A)
    assert queue.has(B)
