from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pq_query.model.cursor import Cursor, InvalidCursor


@given(st.integers(min_value=0, max_value=253_402_300_799_999), st.sampled_from(["asc", "desc"]))
def test_a_cursor_decodes_to_what_was_encoded(t: int, direction: str) -> None:
    cursor = Cursor(t, direction)  # type: ignore[arg-type]
    text = cursor.encode()
    assert Cursor.decode(text) == cursor
    assert "=" not in text
    assert "+" not in text
    assert "/" not in text


@pytest.mark.parametrize(
    "text",
    [
        "", "abc", "!!!", "djE6eDox", "djI6YToxMjM",
        Cursor(2**63 - 1, "asc").encode(), Cursor(10**20, "desc").encode(),
        Cursor(-(2**63) - 1, "asc").encode(),
    ],
)  # fmt: skip
def test_foreign_text_is_not_a_cursor(text: str) -> None:
    with pytest.raises(InvalidCursor):
        Cursor.decode(text)
