"""Issue 16: the watchlist reaches /v1/stream/subscriptions, and BINANCE:BTCUSDT's 1m
candle moves on the page within seconds of its quotes flowing (crypto trades on the
simulator's Saturday; stocks do not)."""

from __future__ import annotations

import time

import httpx

from tests.browser.chart_page import ChartPage
from tests.support.waiting import wait_until

LIVE = "BINANCE:BTCUSDT"


def watchlist(api: httpx.Client) -> set[str]:
    body = api.get("/v1/stream/subscriptions").json()
    return {entry["symbol"] for entry in body["subscriptions"]}


def test_adding_to_the_watchlist_reaches_the_subscriptions(
    chart_page: ChartPage, api: httpx.Client
) -> None:
    chart_page.open("NASDAQ:AAPL", "1d")
    chart_page.submit("watch-form", watch_input="binance:ethusdt")
    wait_until(lambda: "BINANCE:ETHUSDT" in watchlist(api), timeout=30, what="ETHUSDT subscribed")
    row = "#watchlist tr[data-symbol='BINANCE:ETHUSDT']"
    chart_page.page.wait_for_selector(row, timeout=30_000)
    # Live: its last price fills in from the stream.
    chart_page.page.wait_for_function(
        f'() => document.querySelector("{row}").dataset.last !== ""', timeout=90_000
    )
    chart_page.page.click(f"{row} button.remove")
    wait_until(lambda: "BINANCE:ETHUSDT" not in watchlist(api), timeout=30, what="ETH removed")
    # The row goes once the page has read the DELETE's answer, which may land just after
    # the server's list already shows the removal.
    chart_page.page.wait_for_selector(row, state="detached", timeout=10_000)
    assert chart_page.console_errors == []


def test_a_live_candle_moves_within_seconds(chart_page: ChartPage, api: httpx.Client) -> None:
    chart_page.open(LIVE, "1m")
    chart_page.submit("watch-form", watch_input=LIVE)  # the quotes start flowing
    wait_until(lambda: LIVE in watchlist(api), timeout=30, what="BTCUSDT subscribed")
    chart_page.wait_chart("Number(c.liveUpdates) >= 1")  # the first live quote made a candle
    first = (chart_page.chart("last-close"), chart_page.chart("last-time"))
    updates = int(chart_page.chart("live-updates"))
    began = time.monotonic()
    chart_page.wait_chart(
        f"Number(c.liveUpdates) >= {updates + 3} && "
        f"(c.lastClose !== '{first[0]}' || c.lastTime !== '{first[1]}')",
        timeout_ms=30_000,
    )
    moved_s = time.monotonic() - began
    print(f"\nlive candle moved {moved_s:.1f} s after the first live update")
    quote = chart_page.page.get_attribute("#quote", "data-price")
    assert quote, "the latest quote shows beside the chart"
    row = f"#watchlist tr[data-symbol='{LIVE}']"
    chart_page.page.wait_for_function(  # its change since the session open (live 1d bar)
        f'() => document.querySelector("{row}").dataset.change.endsWith("%")', timeout=60_000
    )
    assert chart_page.page.get_attribute("body", "data-stream") == "open"
    api.delete(f"/v1/stream/subscriptions/{LIVE}")
    assert chart_page.console_errors == []
