from datetime import time

import pytest

from pq_domain import InvalidSession, TradingSession, default_session
from pq_domain.session import ALL_WEEKDAYS, MON_FRI, UTC_24X7

NEW_YORK = "America/New_York"


@pytest.mark.parametrize(
    ("text", "zone", "expected"),
    [
        ("24x7", "Etc/UTC", TradingSession("Etc/UTC", always_open=True)),
        ("0930-1600", NEW_YORK, TradingSession(NEW_YORK, time(9, 30), time(16))),
        ("1800-1700", NEW_YORK, TradingSession(NEW_YORK, time(18), time(17))),
        ("1700-1600:23456", "America/Chicago",
         TradingSession("America/Chicago", time(17), time(16), weekdays=MON_FRI)),
        ("0900-1130,1230-1530:23456", "Asia/Tokyo",
         TradingSession("Asia/Tokyo", time(9), time(15, 30), weekdays=MON_FRI)),
        ("0930-1600:1|1000-1400:7", "UTC",
         TradingSession("UTC", time(9, 30), time(16), weekdays=frozenset({7, 6}))),
        ("0000-2400", "UTC", TradingSession("UTC", time(0), time(0))),
    ],
)  # fmt: skip
def test_tradingview_sessions_parse(text: str, zone: str, expected: TradingSession) -> None:
    assert TradingSession.from_tradingview(text, zone) == expected


@pytest.mark.parametrize(
    ("text", "zone"),
    [("", "UTC"), ("0930", "UTC"), ("0960-1600", "UTC"), ("2500-0100", "UTC"),
     ("0930-1600:8", "UTC"), ("0930-1600", "Mars/Olympus"), ("9:30-16:00", "UTC")],
)  # fmt: skip
def test_bad_tradingview_sessions_are_rejected(text: str, zone: str) -> None:
    with pytest.raises(InvalidSession):
        TradingSession.from_tradingview(text, zone)


@pytest.mark.parametrize(
    ("text", "overnight"),
    [("1700-1700", True), ("1700-1600", True), ("1800-1700", True), ("2200-0400", True),
     ("0930-1600", False), ("0000-0000", False), ("24x7", False)],
)  # fmt: skip
def test_overnight_sessions_trade_on_the_day_after_they_open(text: str, overnight: bool) -> None:
    session = TradingSession.from_tradingview(text, "America/New_York")
    assert session.overnight is overnight
    assert session.trading_date_offset == (1 if overnight else 0)


@pytest.mark.parametrize(
    ("exchange", "zone", "opens", "always_open", "overnight"),
    [
        ("NASDAQ", "America/New_York", time(9, 30), False, False),
        ("nyse", "America/New_York", time(9, 30), False, False),
        ("AMEX", "America/New_York", time(9, 30), False, False),
        ("NYSE_ARCA", "America/New_York", time(9, 30), False, False),
        ("BINANCE", "UTC", time(0), True, False),
        ("KRAKEN", "UTC", time(0), True, False),
        ("FX", "America/New_York", time(17), False, True),
        ("OANDA", "America/New_York", time(17), False, True),
        ("CME_MINI", "America/Chicago", time(17), False, True),
        ("NYMEX", "America/Chicago", time(17), False, True),
        ("LSE", "Europe/London", time(8), False, False),
        ("XETR", "Europe/Berlin", time(9), False, False),
        ("TSE", "Asia/Tokyo", time(9), False, False),
        ("NOWHERE", "UTC", time(0), True, False),
    ],
)
def test_default_sessions(
    exchange: str, zone: str, opens: time, always_open: bool, overnight: bool
) -> None:
    session = default_session(exchange)
    assert (session.timezone, session.open_time) == (zone, opens)
    assert session.always_open is always_open
    assert session.overnight is overnight


def test_unknown_exchanges_trade_24x7_in_utc() -> None:
    assert default_session("SOMEWHERE_NEW") == UTC_24X7
    assert UTC_24X7.weekdays == ALL_WEEKDAYS


def test_session_values_are_validated() -> None:
    with pytest.raises(InvalidSession, match="midnight"):
        TradingSession("UTC", time(9), always_open=True)
    with pytest.raises(InvalidSession, match="weekdays"):
        TradingSession("UTC", weekdays=frozenset({0}))
    with pytest.raises(InvalidSession, match="whole minutes"):
        TradingSession("UTC", time(9, 30, 15))
