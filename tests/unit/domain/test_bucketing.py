from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pq_domain import (
    Interval,
    TradingSession,
    bucket_bounds,
    bucket_end,
    bucket_start,
    default_session,
    trading_date,
)

FX = default_session("FX")
NYSE = default_session("NYSE")
CME = default_session("CME")
CRYPTO = default_session("BINANCE")
D1, W1, MN1 = Interval.D1, Interval.W1, Interval.MN1


def ms(text: str) -> int:
    """'2024-01-10 12:00' (UTC) -> epoch ms."""
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


def bounds(interval: Interval, at: str, session: TradingSession) -> tuple[int, int]:
    return bucket_bounds(interval, ms(at), session)


@pytest.mark.parametrize(
    ("interval", "at", "session", "start", "end"),
    [
        # FX day opens 17:00 New York: 22:00 UTC the day before in winter, 21:00 in summer.
        (D1, "2024-01-10 12:00", FX, "2024-01-09 22:00", "2024-01-10 22:00"),
        (D1, "2024-01-10 22:30", FX, "2024-01-10 22:00", "2024-01-11 22:00"),
        (D1, "2024-07-10 12:00", FX, "2024-07-09 21:00", "2024-07-10 21:00"),
        # Monday's FX bar, and the FX week, open on Sunday evening.
        (D1, "2024-01-08 03:00", FX, "2024-01-07 22:00", "2024-01-08 22:00"),
        (W1, "2024-01-08 03:00", FX, "2024-01-07 22:00", "2024-01-14 22:00"),
        (W1, "2024-01-12 21:59", FX, "2024-01-07 22:00", "2024-01-14 22:00"),
        (MN1, "2024-01-10 12:00", FX, "2023-12-31 22:00", "2024-01-31 22:00"),
        (MN1, "2024-07-01 10:00", FX, "2024-06-30 21:00", "2024-07-31 21:00"),
        # US DST starts Sun 2024-03-10: the FX day opening that Sunday is 23 hours long
        # before it, the week around it starts at 22:00 and ends at 21:00 UTC.
        (D1, "2024-03-10 12:00", FX, "2024-03-09 22:00", "2024-03-10 21:00"),
        (D1, "2024-03-11 12:00", FX, "2024-03-10 21:00", "2024-03-11 21:00"),
        (W1, "2024-03-08 12:00", FX, "2024-03-03 22:00", "2024-03-10 21:00"),
        (W1, "2024-03-11 12:00", FX, "2024-03-10 21:00", "2024-03-17 21:00"),
        # US DST ends Sun 2024-11-03: a 25-hour FX day.
        (D1, "2024-11-03 12:00", FX, "2024-11-02 21:00", "2024-11-03 22:00"),
        (D1, "2024-11-04 12:00", FX, "2024-11-03 22:00", "2024-11-04 22:00"),
        (MN1, "2024-11-15 12:00", FX, "2024-10-31 21:00", "2024-11-30 22:00"),
        # NYSE: 09:30 New York.
        (D1, "2024-01-10 15:00", NYSE, "2024-01-10 14:30", "2024-01-11 14:30"),
        (D1, "2024-01-10 14:29", NYSE, "2024-01-09 14:30", "2024-01-10 14:30"),
        (D1, "2024-07-10 15:00", NYSE, "2024-07-10 13:30", "2024-07-11 13:30"),
        (D1, "2024-03-08 20:00", NYSE, "2024-03-08 14:30", "2024-03-09 14:30"),
        (D1, "2024-03-11 20:00", NYSE, "2024-03-11 13:30", "2024-03-12 13:30"),
        (D1, "2024-11-04 20:00", NYSE, "2024-11-04 14:30", "2024-11-05 14:30"),
        (W1, "2024-01-10 15:00", NYSE, "2024-01-08 14:30", "2024-01-15 14:30"),
        (W1, "2024-03-13 15:00", NYSE, "2024-03-11 13:30", "2024-03-18 13:30"),
        (MN1, "2024-03-20 15:00", NYSE, "2024-03-01 14:30", "2024-04-01 13:30"),
        # CME: 17:00 Chicago, overnight.
        (D1, "2024-01-10 12:00", CME, "2024-01-09 23:00", "2024-01-10 23:00"),
        (D1, "2024-07-10 12:00", CME, "2024-07-09 22:00", "2024-07-10 22:00"),
        # 24x7 crypto: UTC midnight, weeks from Monday, months from the 1st.
        (D1, "2024-01-10 12:00", CRYPTO, "2024-01-10 00:00", "2024-01-11 00:00"),
        (W1, "2024-01-10 12:00", CRYPTO, "2024-01-08 00:00", "2024-01-15 00:00"),
        (W1, "2024-01-14 23:59:59.999", CRYPTO, "2024-01-08 00:00", "2024-01-15 00:00"),
        (W1, "2024-01-15 00:00", CRYPTO, "2024-01-15 00:00", "2024-01-22 00:00"),
        (MN1, "2024-02-29 23:00", CRYPTO, "2024-02-01 00:00", "2024-03-01 00:00"),
        (MN1, "2023-12-31 23:59", CRYPTO, "2023-12-01 00:00", "2024-01-01 00:00"),
        # Intraday: aligned to the session open of the trading day (FX 17:00 New York =
        # 22:00 UTC in winter), the session's last bar cut at its close.
        (Interval.M1, "2024-01-10 13:47:31.250", FX, "2024-01-10 13:47", "2024-01-10 13:48"),
        (Interval.M5, "2024-01-10 15:47:31.250", NYSE, "2024-01-10 15:45", "2024-01-10 15:50"),
        (Interval.M15, "2024-01-10 13:47:31", CRYPTO, "2024-01-10 13:45", "2024-01-10 14:00"),
        (Interval.H1, "2024-01-10 13:47:31", FX, "2024-01-10 13:00", "2024-01-10 14:00"),
        (Interval.H4, "2024-01-10 13:47:31", FX, "2024-01-10 10:00", "2024-01-10 14:00"),
        (Interval.H4, "2024-01-10 18:00", FX, "2024-01-10 18:00", "2024-01-10 22:00"),
        (Interval.H1, "2024-01-10 15:47:31", NYSE, "2024-01-10 15:30", "2024-01-10 16:30"),
        (Interval.H1, "2024-01-10 20:59:59", NYSE, "2024-01-10 20:30", "2024-01-10 21:00"),
        (Interval.H4, "2024-01-10 20:00", NYSE, "2024-01-10 18:30", "2024-01-10 21:00"),
        # Between the NYSE close and the next open: one span, keyed by no bar.
        (Interval.H1, "2024-01-10 21:00", NYSE, "2024-01-10 21:00", "2024-01-11 14:30"),
        (Interval.M1, "2024-01-11 14:29:59", NYSE, "2024-01-10 21:00", "2024-01-11 14:30"),
    ],
)
def test_bucket_bounds(
    interval: Interval, at: str, session: TradingSession, start: str, end: str
) -> None:
    assert bounds(interval, at, session) == (ms(start), ms(end))
    assert bucket_start(interval, ms(at), session) == ms(start)
    assert bucket_end(interval, ms(at), session) == ms(end)


def test_the_open_instant_belongs_to_the_new_day() -> None:
    open_ms = ms("2024-01-09 22:00")
    assert bucket_start(D1, open_ms, FX) == open_ms
    assert bucket_start(D1, open_ms - 1, FX) == ms("2024-01-08 22:00")


def test_intraday_buckets_floor_before_1970() -> None:
    assert bucket_bounds(Interval.M1, -1) == (-60_000, 0)


@pytest.mark.parametrize(
    ("at", "session", "expected"),
    [
        ("2024-01-07 22:30", FX, date(2024, 1, 8)),  # Sunday evening: Monday's trading date
        ("2024-01-12 21:59", FX, date(2024, 1, 12)),
        ("2024-01-10 15:00", NYSE, date(2024, 1, 10)),
        ("2024-01-10 23:00", CME, date(2024, 1, 11)),
        ("2024-01-10 23:59", CRYPTO, date(2024, 1, 10)),
    ],
)
def test_trading_date(at: str, session: TradingSession, expected: date) -> None:
    assert trading_date(ms(at), session) == expected


SESSIONS = [FX, NYSE, CME, CRYPTO, default_session("TSE"), default_session("LSE")]


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=ms("1990-01-01 00:00"), max_value=ms("2040-01-01 00:00")),
    st.sampled_from(SESSIONS),
    st.sampled_from(list(Interval)),
)
def test_buckets_tile_time(ts: int, session: TradingSession, interval: Interval) -> None:
    start, end = bucket_bounds(interval, ts, session)
    assert start <= ts < end
    assert bucket_start(interval, start, session) == start
    assert bucket_start(interval, end, session) == end
    assert bucket_start(interval, end - 1, session) == start
    if interval is D1:
        assert 23 * 3_600_000 <= end - start <= 25 * 3_600_000
