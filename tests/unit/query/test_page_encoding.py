"""Stored rows encode to the bytes of page bars built one by one, whatever their times."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pq_query.api.encoding import bars_page, stored_page
from pq_query.model.fill import PageBar, StoredBar

T0 = 1_704_067_200_000
FAR = 17_000_000_000_001  # year 2508: `t / 1000` is no longer exact to the microsecond


def rows_at(ts: list[int]) -> list[StoredBar]:
    return [(t, 1.5, 2.0, 1.0, 1.25, float(i)) for i, t in enumerate(ts)]


def reference(rows: list[StoredBar], cursor: str | None = None) -> bytes:
    return bars_page("NYSE:BRK.B", "1m", [PageBar(*r, False) for r in rows], cursor)


def test_a_regular_page_is_rfc3339_utc_in_order() -> None:
    rows = rows_at([T0, T0 + 60_000, T0 + 120_000, T0 + 180_123])
    body = stored_page("NYSE:BRK.B", "1m", rows, "abc")
    assert body == reference(rows, "abc")
    page = json.loads(body)
    assert [b["t"] for b in page["bars"]] == [
        "2024-01-01T00:00:00Z", "2024-01-01T00:01:00Z", "2024-01-01T00:02:00Z",
        "2024-01-01T00:03:00.123000Z",
    ]  # fmt: skip
    assert page["next_cursor"] == "abc"
    assert "filled" not in page["bars"][0]


def test_gaps_descending_pages_and_far_times_encode_as_before() -> None:
    cases = [
        [],
        [T0],
        [T0, T0 + 1, T0 + 2, T0 + 60_000, T0 + 120_000, T0 + 180_000, T0 + 180_001],
        [T0 + 5 * 60_000 - i * 60_000 for i in range(6)],  # sort=desc
        [0, 1, 1000, 2001],
        [-5000, -3001, -1001, -1],
        [FAR, FAR + 1000, FAR + 2000],
        [T0, FAR, FAR + 1000, FAR + 2000],
        [253_402_300_739_999, 253_402_300_799_999],
    ]
    for ts in cases:
        assert stored_page("NYSE:BRK.B", "1m", rows_at(ts), None) == reference(rows_at(ts)), ts


@settings(max_examples=200, deadline=None)
@given(
    st.integers(-(10**13), 2 * 10**13),
    st.lists(st.sampled_from([1, 999, 1000, 60_000, 3_600_000, 86_400_000]), max_size=40),
    st.booleans(),
)
def test_any_ordered_page_encodes_as_before(start: int, steps: list[int], desc: bool) -> None:
    ts = [start]
    for step in steps:
        ts.append(ts[-1] + step)
    rows = rows_at(ts[::-1] if desc else ts)
    assert stored_page("NYSE:BRK.B", "1m", rows, None) == reference(rows)
