from __future__ import annotations

import re

from pq_domain import Interval, Symbol, bucket_start, default_session
from pq_ingest_stream.model.backfill_plan import (
    DAY_MS,
    BackfillPolicy,
    Gap,
    backfill_commands,
    backfill_job_id,
)

AAPL = Symbol("NASDAQ", "AAPL")
INTERVALS = (Interval.M1, Interval.M5, Interval.H1, Interval.D1)
POLICY = BackfillPolicy(INTERVALS, initial_window_ms=3_600_000, max_gap_ms=7 * DAY_MS)
T0 = 1_741_186_800_000  # 2025-03-05 15:00 UTC, 10:00 New York
HALF_HOUR = 1_800_000


def by_interval(gap: Gap, policy: BackfillPolicy = POLICY) -> dict[Interval, tuple[int, int]]:
    return {c.interval: (c.start or 0, c.end or 0) for c in backfill_commands(gap, policy)}


def test_every_bar_the_gap_touches_is_covered_whole() -> None:
    since, resume = T0 + 125_000, T0 + 1_000_000  # 15:02:05 .. 15:16:40
    ranges = by_interval(Gap(AAPL, since, resume))
    assert ranges[Interval.M1] == (T0 + 120_000, T0 + 1_020_000)
    assert ranges[Interval.M5] == (T0, T0 + 1_200_000)
    # 1h bars open 09:30, 10:30 ... New York (the session open), not on UTC hours.
    assert ranges[Interval.H1] == (T0 - HALF_HOUR, T0 + HALF_HOUR)


def test_calendar_bars_start_a_day_early_at_the_default_session() -> None:
    since = T0 + 125_000
    start, end = by_interval(Gap(AAPL, since, since + 60_000))[Interval.D1]
    session = default_session("NASDAQ")
    assert start == bucket_start(Interval.D1, since - DAY_MS, session)
    assert start < since - DAY_MS + 1
    assert end > since


def test_a_new_symbol_gets_the_initial_window() -> None:
    resume = T0 + 30_000
    start, end = by_interval(Gap(AAPL, None, resume))[Interval.M1]
    # 09:00 New York is before the open: the range starts where the market is shut, at
    # the previous close (no bar lies between), and covers the whole 09:30 open.
    assert (start, end) == (T0 - 18 * 3_600_000, T0 + 60_000)
    start, end = by_interval(Gap(AAPL, None, resume + 2 * HALF_HOUR))[Interval.M1]
    assert (start, end) == (T0 - 3_600_000 + 2 * HALF_HOUR, T0 + 2 * HALF_HOUR + 60_000)


def test_a_long_gap_is_cut_to_the_maximum() -> None:
    resume = T0
    start, _ = by_interval(Gap(AAPL, resume - 30 * DAY_MS, resume))[Interval.M1]
    assert start == resume - 7 * DAY_MS


def test_job_ids_are_deterministic_and_fit_the_gateways_pattern() -> None:
    first = backfill_commands(Gap(AAPL, T0 + 1_000, T0 + 90_000), POLICY)
    again = backfill_commands(Gap(AAPL, T0 + 2_000, T0 + 100_000), POLICY)  # same bars
    assert [c.job_id for c in first] == [c.job_id for c in again]
    assert len({c.job_id for c in first}) == len(INTERVALS)
    for c in first:
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", c.job_id)
        assert c.event_id == f"sync-requested:{c.job_id}"


def test_a_longer_gap_from_the_same_start_is_a_new_job() -> None:
    assert backfill_job_id(AAPL, Interval.M1, T0, T0 + 60_000) != backfill_job_id(
        AAPL, Interval.M1, T0, T0 + 120_000
    )
