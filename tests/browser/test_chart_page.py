"""Issue 16: the page opens with a key in the fragment, keeps it out of the URL and shows a
synced symbol's candles; a wrong key is said plainly."""

from __future__ import annotations

import httpx

from tests.browser.chart_page import ChartPage
from tests.support.pq_rest import sync_and_wait
from tests.support.waiting import wait_until

PAGE = 500  # bars the page asks for at a time (ui/src/chart_view.ts)
LOAD_TIMINGS = """() => ({
  dom: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
  bars: Math.max(...performance.getEntriesByType("resource")
    .filter((e) => e.name.includes("/v1/bars?") && e.name.includes("limit=500"))
    .map((e) => e.duration)),
})"""


def test_the_page_loads_with_a_key_in_the_fragment(chart_page: ChartPage) -> None:
    chart_page.open("NASDAQ:AAPL", "1d")
    page = chart_page.page
    assert "key=" not in page.url, "the key stays in the visible address"
    assert "symbol=NASDAQ%3AAAPL" in page.url or "symbol=NASDAQ:AAPL" in page.url
    stored = page.evaluate("() => sessionStorage.getItem('pq.apiKey')")
    assert stored == chart_page.api_key
    assert page.is_hidden("#key-form")
    assert chart_page.chart("symbol") == "NASDAQ:AAPL"
    assert chart_page.chart("interval") == "1d"
    assert chart_page.status_text() == "", chart_page.status_text()
    assert chart_page.console_errors == []
    sent = [url for url in chart_page.request_urls if chart_page.api_key in url.split("#")[0]]
    assert sent == [], "the key went out in a URL"


def test_a_synced_symbols_candles_render(chart_page: ChartPage, api: httpx.Client) -> None:
    job = sync_and_wait(api, "NYSE:JPM", "1d", 700)
    stored = api.get("/v1/bars", params={"symbol": "NYSE:JPM", "interval": "1d"}).json()["bars"]
    assert job["status"] == "done", job
    assert len(stored) > PAGE

    chart_page.open("NYSE:JPM", "1d")
    chart_page.wait_chart(f"Number(c.candleCount) === {PAGE} && c.olderPages === 'yes'")
    assert float(chart_page.chart("last-close")) == stored[-1]["c"]
    assert chart_page.chart("last-time").startswith(stored[-1]["t"][:10])
    listed = chart_page.page.inner_text("#symbol-list")
    assert "NYSE:JPM" in listed  # with its interval and covered range
    assert "1d" in listed
    load_ms = int(chart_page.chart("first-candles-ms"))
    timings = chart_page.page.evaluate(LOAD_TIMINGS)
    print(
        f"\nnavigation to first candles: {load_ms} ms ({PAGE} bars); DOMContentLoaded "
        f"{timings['dom']:.0f} ms, GET /v1/bars {timings['bars']:.0f} ms"
    )

    def older_loaded() -> bool:  # scrolled back: the next page comes through the cursor
        chart_page.drag_chart_right()
        return chart_page.candle_count == len(stored)

    wait_until(older_loaded, timeout=60, interval=0.5, what="older bars on the chart")
    assert chart_page.chart("older-pages") == "no"
    assert float(chart_page.chart("last-close")) == stored[-1]["c"]

    assert chart_page.chart("zone") == "America/New_York"  # the exchange's, then UTC
    assert "America/New_York" in chart_page.page.inner_text("#tz-label")
    chart_page.page.check("#utc-toggle")
    chart_page.wait_chart("c.zone === 'UTC'", timeout_ms=10_000)
    assert chart_page.page.inner_text("#tz-label") == "times in UTC"
    assert chart_page.console_errors == []


def test_an_unknown_key_is_said_plainly(chart_page: ChartPage) -> None:
    chart_page.open("NASDAQ:AAPL", "1d", key="pq_not-a-real-key")
    page = chart_page.page
    page.wait_for_function("() => document.body.dataset.auth === 'missing'", timeout=30_000)
    assert "unknown or expired" in chart_page.status_text()
    assert page.is_visible("#key-input")
    assert page.evaluate("() => sessionStorage.getItem('pq.apiKey')") is None

    page.fill("#key-input", chart_page.api_key)  # then the right one, typed in
    page.click("#key-form button[type=submit]")
    page.wait_for_function("() => document.body.dataset.auth === 'given'", timeout=30_000)
    chart_page.wait_chart("c.state === 'ready'")
    assert chart_page.status_text() == ""
