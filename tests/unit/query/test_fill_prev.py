from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from pq_domain import UTC_24X7, BucketGrid, Interval, default_session
from pq_query.model.fill import PageBar, StoredBar, fill_ascending, fill_descending

M = 60_000
GRID = BucketGrid(Interval.M1, UTC_24X7)


def bar(t: int, c: float) -> StoredBar:
    return (t * M, c, c + 1, c - 1, c, 10.0)


def flat(t: int, c: float) -> PageBar:
    return PageBar(t * M, c, c, c, c, 0.0, True)


def stored(t: int, c: float) -> PageBar:
    return PageBar(*bar(t, c), False)


ROWS = [bar(0, 1.0), bar(3, 2.0), bar(4, 3.0)]


def test_gaps_between_stored_bars_get_flat_bars_at_the_previous_close() -> None:
    page = fill_ascending(ROWS, GRID, 100, after=None, prev_close=None)
    assert page == [stored(0, 1.0), flat(1, 1.0), flat(2, 1.0), stored(3, 2.0), stored(4, 3.0)]


def test_the_limit_counts_flat_bars_and_a_gap_continues_on_the_next_page() -> None:
    first = fill_ascending(ROWS, GRID, 2, after=None, prev_close=None)
    assert first == [stored(0, 1.0), flat(1, 1.0)]
    rest = fill_ascending(ROWS[1:], GRID, 100, after=1 * M, prev_close=1.0)
    assert rest == [flat(2, 1.0), stored(3, 2.0), stored(4, 3.0)]


def test_nothing_is_invented_before_the_first_stored_bar() -> None:
    assert fill_ascending(ROWS[1:], GRID, 100, after=None, prev_close=None)[0] == stored(3, 2.0)


def test_descending_fill_takes_the_older_bars_close() -> None:
    newest_first = list(reversed(ROWS))
    page = fill_descending(newest_first, GRID, 100, before=None)
    assert page == [stored(4, 3.0), stored(3, 2.0), flat(2, 1.0), flat(1, 1.0), stored(0, 1.0)]
    second = fill_descending(newest_first[2:], GRID, 100, before=2 * M)
    assert second == [flat(1, 1.0), stored(0, 1.0)]


def ny(text: str) -> int:
    return int(
        datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("America/New_York")).timestamp() * 1000
    )


def test_flat_bars_follow_the_session_grid_and_skip_closes_and_weekends() -> None:
    grid = BucketGrid(Interval.H1, default_session("NASDAQ"))
    rows = [
        (ny("2024-03-08 13:30"), 1.0, 1.0, 1.0, 1.0, 1.0),
        (ny("2024-03-11 10:30"), 2.0, 2.0, 2.0, 2.0, 1.0),
    ]
    page = fill_ascending(rows, grid, 100, after=None, prev_close=None)
    keys = [p.t for p in page]
    # Friday 14:30 and 15:30 (the last bar, cut at 16:00), then Monday 09:30: no night, no weekend.
    assert keys == [
        ny(t)
        for t in (
            "2024-03-08 13:30",
            "2024-03-08 14:30",
            "2024-03-08 15:30",
            "2024-03-11 09:30",
            "2024-03-11 10:30",
        )
    ]
    down = fill_descending(rows[::-1], grid, 100, before=None)
    assert [p.t for p in down] == keys[::-1]
