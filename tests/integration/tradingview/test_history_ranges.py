"""A range that ended in the past is asked for with a `bar_count` range: the bars up to its
end in one round, instead of every bar from now back to its start, page by page."""

from __future__ import annotations

from pq_tradingview import TradingViewClient

from .conftest import START_MS

DAY_MS = 86_400_000
MINUTE_MS = 60_000


async def test_a_day_of_minutes_a_month_ago_comes_in_one_round(
    tv_client: TradingViewClient,
) -> None:
    start = START_MS - 30 * DAY_MS
    end = start + DAY_MS
    result = await tv_client.fetch_history("BINANCE:BTCUSDT", "1m", start_ms=start, end_ms=end)
    assert [bar.t for bar in result.bars] == list(range(start, end, MINUTE_MS))
    assert result.forming is None
    assert result.rounds == 1  # paging back from now would take 9 rounds of 5000


async def test_the_newest_bars_before_a_past_end(tv_client: TradingViewClient) -> None:
    end = START_MS - 10 * DAY_MS
    result = await tv_client.fetch_history("BINANCE:BTCUSDT", "1h", bars=48, end_ms=end)
    assert [bar.t for bar in result.bars] == list(range(end - 48 * 3_600_000, end, 3_600_000))
    assert result.rounds == 1
