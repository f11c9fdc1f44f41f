"""Issue 16: errors said plainly: a refused request shows its problem+json detail, and a
lost live connection says so and comes back by itself."""

from __future__ import annotations

from playwright.sync_api import Route

from tests.browser.chart_page import WAIT_MS, ChartPage


def test_a_refused_sync_shows_the_problem_detail(chart_page: ChartPage) -> None:
    chart_page.open("NASDAQ:AAPL", "1d")
    chart_page.submit("sync-form", sync_symbol="NOT A SYMBOL", sync_bars="10")
    chart_page.page.wait_for_selector("#status[data-tone='error']", timeout=30_000)
    text = chart_page.status_text()
    assert text.startswith("Starting the sync of NOT A SYMBOL: body.symbol"), text


def test_a_lost_live_connection_reconnects_by_itself(chart_page: ChartPage) -> None:
    chart_page.open("NASDAQ:AAPL", "1d")
    page = chart_page.page
    page.wait_for_function("() => document.body.dataset.stream === 'open'", timeout=WAIT_MS)

    def cut(route: Route) -> None:
        route.abort("connectionreset")

    page.route("**/v1/stream/events*", cut)  # the network drops the stream's connections
    chart_page.submit("chart-form", chart_symbol="NASDAQ:MSFT")  # a new connection is needed
    page.wait_for_function("() => document.body.dataset.stream === 'lost'", timeout=WAIT_MS)
    assert "Live connection lost" in chart_page.status_text()
    assert "reconnecting in" in chart_page.status_text()

    page.unroute("**/v1/stream/events*", cut)  # the network is back
    page.wait_for_function("() => document.body.dataset.stream === 'open'", timeout=WAIT_MS)
    assert chart_page.status_text() == ""
    assert page.get_attribute("#quote", "data-stream") == "open"
