"""One instant parser for every door: RFC 3339 or epoch ms in, epoch ms out, exact to the ms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pq_domain.instants import (
    MAX_EPOCH_MS,
    InvalidInstant,
    format_instant,
    parse_instant,
    utc_datetime,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01T13:30:00Z", 1_714_570_200_000),
        ("2024-05-01T15:30:00+02:00", 1_714_570_200_000),
        ("2024-05-01T13:30:00.250Z", 1_714_570_200_250),
        (1_714_570_200_000, 1_714_570_200_000),
        (1_714_570_200_000.0, 1_714_570_200_000),
        ("1714570200000", 1_714_570_200_000),
        (" 0 ", 0),
        (0, 0),
    ],
)
def test_rfc3339_and_epoch_ms_are_accepted(value: object, expected: int) -> None:
    assert parse_instant(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        True,
        1.5,
        None,
        [],
        "",
        "2024-05-01T13:30:00",
        "2024-05-01",
        "soon",
        "-5",
        -1,
        10**20,
        "99999999999999999",
        "2024-13-01T00:00Z",
        "x" * 100,
        "١٧١٤٥٧٠٢٠٠٠٠٠",  # Arabic-Indic digits: str.isdigit() says yes, int() would accept them
    ],
)
def test_anything_else_is_refused_with_a_reason(value: object) -> None:
    with pytest.raises(InvalidInstant):
        parse_instant(value)


def test_millisecond_instants_are_exact_where_float_seconds_were_1ms_low() -> None:
    # The gateway's old parser (timestamp() * 1000) gave ...135 for this one.
    assert parse_instant("2004-08-06T20:15:14.136Z") == 1_091_823_314_136


@given(st.integers(min_value=0, max_value=MAX_EPOCH_MS))
def test_format_then_parse_is_the_identity(epoch_ms: int) -> None:
    assert parse_instant(format_instant(epoch_ms)) == epoch_ms
    assert utc_datetime(epoch_ms) == datetime(1970, 1, 1, tzinfo=UTC) + timedelta(
        milliseconds=epoch_ms
    )


def test_output_is_utc_with_z_and_millis_only_when_present() -> None:
    assert format_instant(1_704_207_600_000) == "2024-01-02T15:00:00Z"
    assert format_instant(1_704_207_600_120) == "2024-01-02T15:00:00.120Z"
