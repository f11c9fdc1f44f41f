"""RFC 3339 or epoch ms in, epoch ms out."""

from __future__ import annotations

import pytest

from pq_gateway.times import InvalidInstant, parse_instant


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01T13:30:00Z", 1_714_570_200_000),
        ("2024-05-01T15:30:00+02:00", 1_714_570_200_000),
        ("2024-05-01T13:30:00.250Z", 1_714_570_200_250),
        (1_714_570_200_000, 1_714_570_200_000),
        ("1714570200000", 1_714_570_200_000),
        (0, 0),
    ],
)
def test_parses(value: object, expected: int) -> None:
    assert parse_instant(value) == expected


@pytest.mark.parametrize(
    "value",
    [True, 1.5, None, [], "", "2024-05-01T13:30:00", "2024-05-01", "soon", -1, 10**20, "x" * 100],
)
def test_refuses(value: object) -> None:
    with pytest.raises(InvalidInstant):
        parse_instant(value)
