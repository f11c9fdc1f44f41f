"""Intraday bars open at session_open + k * interval of their trading day, in the
exchange's zone, and the session's last bar is cut at the close (ARCHITECTURE.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pq_domain import (
    BucketGrid,
    Interval,
    TradingSession,
    bucket_bounds,
    default_session,
    grid_starts,
    session_day,
    trading_date,
)
from pq_domain.session_day import day_opened_on

H1, H4, M15 = Interval.H1, Interval.H4, Interval.M15


def local_opens(symbol: str, interval: Interval, day: str) -> list[str]:
    """Local HH:MM of the bar keys of the session day opening on local date `day`."""
    session = default_session(symbol.partition(":")[0])
    opened = day_opened_on(date.fromisoformat(day), session)
    return [_hhmm(t, session) for t in grid_starts(interval.millis, opened)]


def _hhmm(t: int, session: TradingSession) -> str:
    return datetime.fromtimestamp(t / 1000, UTC).astimezone(session.zone).strftime("%H:%M")


def at(local: str, zone: str) -> int:
    return int(datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(zone)).timestamp() * 1000)


US_1H = ["09:30", "10:30", "11:30", "12:30", "13:30", "14:30", "15:30"]
NSE_1H = ["09:15", "10:15", "11:15", "12:15", "13:15", "14:15", "15:15"]
FX_4H = ["17:00", "21:00", "01:00", "05:00", "09:00", "13:00"]


@pytest.mark.parametrize("day", ["2024-01-10", "2024-03-11", "2024-07-10", "2024-11-04"])
def test_the_issue_examples_hold_on_both_sides_of_dst(day: str) -> None:
    assert local_opens("NASDAQ:AAPL", H1, day) == US_1H
    assert local_opens("NASDAQ:AAPL", H4, day) == ["09:30", "13:30"]
    assert local_opens("NSE:TCS", H1, day) == NSE_1H
    assert local_opens("FX:EURUSD", H4, day) == FX_4H
    assert local_opens("CME_MINI:ES1!", H4, day) == FX_4H  # 17:00 Chicago; 13:00-16:00 cut
    assert local_opens("BINANCE:BTCUSDT", H4, day) == [f"{h:02d}:00" for h in range(0, 24, 4)]


@pytest.mark.parametrize(
    ("symbol", "interval", "local", "zone", "start", "end"),
    [
        ("NASDAQ:AAPL", H1, "2024-03-11 15:45", "America/New_York", "15:30", "16:00"),
        ("NASDAQ:AAPL", H4, "2024-03-11 15:59:59", "America/New_York", "13:30", "16:00"),
        ("NASDAQ:AAPL", H1, "2024-03-08 09:30", "America/New_York", "09:30", "10:30"),
        ("NSE:NIFTY", H1, "2024-03-11 15:29", "Asia/Kolkata", "15:15", "15:30"),
        ("NSE:TCS", Interval.H4, "2024-03-11 13:15", "Asia/Kolkata", "13:15", "15:30"),
        ("CME_MINI:ES1!", H4, "2024-03-11 14:00", "America/Chicago", "13:00", "16:00"),
        ("FX:EURUSD", H4, "2024-03-11 16:59", "America/New_York", "13:00", "17:00"),
    ],
)
def test_the_last_bar_of_a_session_ends_at_the_close(
    symbol: str, interval: Interval, local: str, zone: str, start: str, end: str
) -> None:
    session = default_session(symbol.partition(":")[0])
    t0, t1 = bucket_bounds(interval, at(local, zone), session)
    assert (_hhmm(t0, session), _hhmm(t1, session)) == (start, end)


def test_a_half_day_changes_no_key() -> None:
    # 2024-11-29 (after Thanksgiving) NYSE closes 13:00: its bars keep the day's grid.
    session = default_session("NYSE")
    t = at("2024-11-29 12:59", "America/New_York")
    assert bucket_bounds(H1, t, session)[0] == at("2024-11-29 12:30", "America/New_York")
    assert bucket_bounds(H4, t, session)[0] == at("2024-11-29 09:30", "America/New_York")


def test_a_session_in_segments_aligns_to_the_first_open() -> None:
    tse = TradingSession.from_tradingview("0900-1130,1230-1530:23456", "Asia/Tokyo")
    t = at("2024-03-11 12:40", "Asia/Tokyo")
    assert bucket_bounds(H1, t, tse)[0] == at("2024-03-11 12:00", "Asia/Tokyo")
    assert bucket_bounds(H1, at("2024-03-11 15:10", "Asia/Tokyo"), tse)[1] == at(
        "2024-03-11 15:30", "Asia/Tokyo"
    )


def test_between_sessions_is_one_span_that_keys_no_bar() -> None:
    nyse = default_session("NYSE")
    post = at("2024-03-11 17:00", "America/New_York")
    day = session_day(post, nyse)
    assert not day.trades_at(post)
    close, next_open = (
        at("2024-03-11 16:00", "America/New_York"),
        at("2024-03-12 09:30", "America/New_York"),
    )
    assert bucket_bounds(M15, post, nyse) == (close, next_open)
    assert not BucketGrid(M15, nyse).is_key(close)
    assert BucketGrid(M15, nyse).is_key(at("2024-03-11 15:45", "America/New_York"))
    assert not BucketGrid(H1, nyse).is_key(at("2024-03-11 10:00", "America/New_York"))


def test_the_grid_steps_over_closes_and_weekends() -> None:
    nyse, zone = default_session("NYSE"), "America/New_York"
    grid = BucketGrid(H1, nyse)
    assert grid.next_key(at("2024-03-08 14:30", zone)) == at("2024-03-08 15:30", zone)
    assert grid.next_key(at("2024-03-08 15:30", zone)) == at("2024-03-11 09:30", zone)  # Monday
    assert grid.previous_key(at("2024-03-11 09:30", zone)) == at("2024-03-08 15:30", zone)
    assert grid.previous_key(at("2024-03-08 10:30", zone)) == at("2024-03-08 09:30", zone)
    crypto = BucketGrid(H4, default_session("BINANCE"))
    assert crypto.next_key(at("2024-03-09 20:00", "UTC")) == at("2024-03-10 00:00", "UTC")


SESSIONS = [default_session(x) for x in ("NYSE", "NSE", "FX", "CME", "BINANCE", "LSE", "KRX")] + [
    TradingSession("America/New_York", time(18, 0), time(17, 0))
]
INTRADAY = [i for i in Interval if i.is_intraday]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=at("2000-01-01 00:00", "UTC"), max_value=at("2040-01-01 00:00", "UTC")),
    st.sampled_from(SESSIONS),
    st.sampled_from(INTRADAY),
)
def test_keys_are_session_open_plus_whole_intervals(
    ts: int, session: TradingSession, interval: Interval
) -> None:
    day = session_day(ts, session)
    start, end = bucket_bounds(interval, ts, session)
    assert start <= ts < end
    if day.trades_at(ts):
        assert (start - day.open_ms) % interval.millis == 0
        assert end == min(start + interval.millis, day.close_ms)
        grid = BucketGrid(interval, session)
        assert grid.is_key(start)
        traded = trading_date(ts, session).isoweekday()
        if session.trades_on(traded):
            assert grid.previous_key(grid.next_key(start)) == start
    else:
        assert (start, end) == (day.close_ms, day.next_open_ms)
