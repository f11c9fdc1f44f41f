from __future__ import annotations

from pq_query.model.fill import PageBar, StoredBar, fill_ascending, fill_descending

M = 60_000


def bar(t: int, c: float) -> StoredBar:
    return (t * M, c, c + 1, c - 1, c, 10.0)


def flat(t: int, c: float) -> PageBar:
    return PageBar(t * M, c, c, c, c, 0.0, True)


def stored(t: int, c: float) -> PageBar:
    return PageBar(*bar(t, c), False)


ROWS = [bar(0, 1.0), bar(3, 2.0), bar(4, 3.0)]


def test_gaps_between_stored_bars_get_flat_bars_at_the_previous_close() -> None:
    page = fill_ascending(ROWS, M, 100, after=None, prev_close=None)
    assert page == [stored(0, 1.0), flat(1, 1.0), flat(2, 1.0), stored(3, 2.0), stored(4, 3.0)]


def test_the_limit_counts_flat_bars_and_a_gap_continues_on_the_next_page() -> None:
    first = fill_ascending(ROWS, M, 2, after=None, prev_close=None)
    assert first == [stored(0, 1.0), flat(1, 1.0)]
    rest = fill_ascending(ROWS[1:], M, 100, after=1 * M, prev_close=1.0)
    assert rest == [flat(2, 1.0), stored(3, 2.0), stored(4, 3.0)]


def test_nothing_is_invented_before_the_first_stored_bar() -> None:
    assert fill_ascending(ROWS[1:], M, 100, after=None, prev_close=None)[0] == stored(3, 2.0)


def test_descending_fill_takes_the_older_bars_close() -> None:
    newest_first = list(reversed(ROWS))
    page = fill_descending(newest_first, M, 100, before=None)
    assert page == [stored(4, 3.0), stored(3, 2.0), flat(2, 1.0), flat(1, 1.0), stored(0, 1.0)]
    second = fill_descending(newest_first[2:], M, 100, before=2 * M)
    assert second == [flat(1, 1.0), stored(0, 1.0)]
