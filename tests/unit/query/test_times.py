from __future__ import annotations

import pytest

from pq_query.model.times import InvalidInstant, parse_instant, rfc3339


@pytest.mark.parametrize(
    ("text", "epoch_ms"),
    [
        ("2024-01-02T15:00:00Z", 1_704_207_600_000),
        ("2024-01-02T16:00:00+01:00", 1_704_207_600_000),
        ("2024-01-02T15:00:00.123Z", 1_704_207_600_123),
        ("1704207600000", 1_704_207_600_000),
        ("0", 0),
    ],
)
def test_rfc3339_and_epoch_ms_are_accepted(text: str, epoch_ms: int) -> None:
    assert parse_instant(text) == epoch_ms


@pytest.mark.parametrize(
    "text", ["2024-01-02T15:00:00", "yesterday", "", "-5", "99999999999999999", "2024-13-01T00:00Z"]
)
def test_other_text_is_refused_with_a_reason(text: str) -> None:
    with pytest.raises(InvalidInstant):
        parse_instant(text)


def test_output_is_utc_with_z_and_millis_only_when_present() -> None:
    assert rfc3339(1_704_207_600_000) == "2024-01-02T15:00:00Z"
    assert rfc3339(1_704_207_600_120) == "2024-01-02T15:00:00.120Z"
