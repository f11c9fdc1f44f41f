import math

import pytest

from pq_domain import Bar, Interval, InvalidBar, InvalidInterval, InvalidQuote, Quote, Symbol

AAPL = Symbol.parse("NASDAQ:AAPL")


def test_a_valid_bar_keeps_its_values() -> None:
    bar = Bar(t=60_000, o=10.0, h=12.0, l=9.0, c=11.0, v=5.0)
    assert (bar.t, bar.o, bar.h, bar.l, bar.c, bar.v) == (60_000, 10.0, 12.0, 9.0, 11.0, 5.0)


@pytest.mark.parametrize(
    ("o", "h", "l", "c", "v", "reason"),
    [
        (13.0, 12.0, 9.0, 11.0, 1.0, "low <= open"),
        (10.0, 12.0, 9.0, 8.0, 1.0, "close <= high"),
        (10.0, 12.0, 11.0, 11.0, 1.0, "low <= open"),
        (10.0, 12.0, 9.0, 11.0, -1.0, "negative volume"),
        (math.nan, 12.0, 9.0, 11.0, 1.0, "non-finite"),
        (10.0, math.inf, 9.0, 11.0, 1.0, "non-finite"),
        (10.0, 12.0, 9.0, 11.0, math.inf, "non-finite"),
    ],
)
def test_invalid_bars_say_why(
    o: float, h: float, l: float, c: float, v: float, reason: str
) -> None:
    with pytest.raises(InvalidBar, match=reason):
        Bar(t=0, o=o, h=h, l=l, c=c, v=v)


def test_quotes_accept_negative_prices_but_not_nan_or_negative_volume() -> None:
    assert Quote(AAPL, -37.6, 10.0, 1).price == -37.6
    with pytest.raises(InvalidQuote, match="price"):
        Quote(AAPL, math.nan, 10.0, 1)
    with pytest.raises(InvalidQuote, match="volume"):
        Quote(AAPL, 1.0, -1.0, 1)
    with pytest.raises(InvalidQuote, match="volume"):
        Quote(AAPL, 1.0, math.inf, 1)


def test_intervals_parse_and_know_their_length() -> None:
    assert [i.value for i in Interval] == ["1m", "5m", "15m", "1h", "4h", "1d", "1w", "1M"]
    assert Interval.parse("1M") is Interval.MN1
    assert Interval.parse("1m") is Interval.M1
    assert Interval.H4.millis == 14_400_000
    assert not Interval.W1.is_intraday
    with pytest.raises(ValueError, match="no fixed length"):
        _ = Interval.D1.millis
    with pytest.raises(InvalidInterval, match="2m"):
        Interval.parse("2m")
