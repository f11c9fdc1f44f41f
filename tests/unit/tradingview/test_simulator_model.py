"""The simulator's price model: deterministic, consistent across resolutions and with ticks."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from pq_domain import Interval
from pq_domain.bucketing import bucket_start
from pq_tvsim.calendar import MINUTE_MS, trading_day_at, trading_day_opened_on
from pq_tvsim.market import SymbolMarket
from pq_tvsim.resolution import Resolution
from pq_tvsim.universe import load_universe

UNIVERSE = load_universe()
NOW = int(datetime(2025, 3, 5, 15, 30, 20, tzinfo=UTC).timestamp() * 1000)  # a Wednesday


def _market(symbol: str, seed: int = 7) -> SymbolMarket:
    return SymbolMarket(UNIVERSE[symbol], seed)


def test_the_same_seed_gives_the_same_bars_and_another_seed_does_not() -> None:
    one = _market("NASDAQ:AAPL").bars_before(Resolution.parse("60"), NOW, 50).rows()
    again = _market("NASDAQ:AAPL").bars_before(Resolution.parse("60"), NOW, 50).rows()
    other = _market("NASDAQ:AAPL", seed=8).bars_before(Resolution.parse("60"), NOW, 50).rows()
    assert one == again
    assert one != other


@pytest.mark.parametrize("symbol", ["NASDAQ:AAPL", "FX:EURUSD", "CME_MINI:ES1!", "BINANCE:BTCUSDT"])
@pytest.mark.parametrize("resolution", ["1D", "1W", "1M"])
def test_calendar_bars_are_keyed_like_the_domain_buckets(symbol: str, resolution: str) -> None:
    market = _market(symbol)
    parsed = Resolution.parse(resolution)
    assert parsed.calendar is not None
    bars = market.bars_before(parsed, NOW, 30)
    session = market.spec.trading_session
    for t in bars.t.tolist():
        assert bucket_start(parsed.calendar, t, session) == t


def test_fx_days_open_at_17h_new_york() -> None:
    day = trading_day_opened_on(UNIVERSE["FX:EURUSD"], date(2025, 1, 12))  # a Sunday, winter
    assert day is not None
    assert day.open_ms == int(datetime(2025, 1, 12, 22, 0, tzinfo=UTC).timestamp() * 1000)
    assert bucket_start(Interval.D1, day.open_ms + 1, UNIVERSE["FX:EURUSD"].trading_session) == (
        day.open_ms
    )


def test_no_bars_outside_the_session() -> None:
    market = _market("NASDAQ:AAPL")
    for t in market.bars_before(Resolution.parse("1"), NOW, 3000).t.tolist():
        assert trading_day_at(market.spec, t) is not None, t


def test_higher_resolutions_aggregate_the_minutes() -> None:
    market = _market("FX:EURUSD")
    minutes = market.bars_before(Resolution.parse("1"), NOW, 1440)
    hours = market.bars_before(Resolution.parse("60"), NOW, 5)
    for t, o, h, l, c, v in hours.rows()[:-1]:  # the last one is still forming
        inside = [row for row in minutes.rows() if t <= row[0] < t + 3_600_000]
        assert o == inside[0][1]
        assert c == inside[-1][4]
        assert h == max(r[2] for r in inside)
        assert l == min(r[3] for r in inside)
        assert v == pytest.approx(sum(r[5] for r in inside))


def test_ticks_of_a_minute_reproduce_its_bar() -> None:
    market = _market("BINANCE:BTCUSDT")
    day = trading_day_at(market.spec, NOW)
    assert day is not None
    bars = market.path.day_minutes(day)
    for index in (0, 17, 600):
        ticks = market.minute_ticks(day, index)
        prices = [tick.price for tick in ticks]
        assert prices[0] == bars.o[index]
        assert prices[-1] == bars.c[index]
        assert max(prices) == bars.h[index]
        assert min(prices) == bars.l[index]
        assert ticks[-1].minute_volume == bars.v[index]
        assert all(bars.t[index] <= t.t < bars.t[index] + MINUTE_MS for t in ticks)


def test_the_forming_bar_grows_from_ticks_and_is_never_rewritten() -> None:
    market = _market("NASDAQ:AAPL")
    early = market.bars_before(Resolution.parse("1D"), NOW, 2).rows()
    later = market.bars_before(Resolution.parse("1D"), NOW + 60 * MINUTE_MS, 2).rows()
    assert early[0] == later[0]  # yesterday is final
    assert early[1][0] == later[1][0]
    assert early[1][1] == later[1][1]
    assert later[1][2] >= early[1][2]
    assert later[1][3] <= early[1][3]
    assert later[1][5] > early[1][5]
