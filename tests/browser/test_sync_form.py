"""Issue 16: a sync started from the page's form shows its progress and ends with its bars
on the chart, the same bars the REST API serves."""

from __future__ import annotations

import httpx

from tests.browser.chart_page import ChartPage


def test_a_sync_from_the_form_ends_with_its_bars_on_the_chart(
    chart_page: ChartPage, api: httpx.Client
) -> None:
    chart_page.open("NASDAQ:AAPL", "1d")
    chart_page.wait_chart("c.state === 'ready'")
    assert chart_page.candle_count == 0  # nothing synced yet: an empty chart that says so
    assert "sync some below" in chart_page.page.inner_text("#chart-note")

    chart_page.submit("sync-form", sync_symbol="NASDAQ:AAPL", sync_interval="1d", sync_bars="120")
    job = chart_page.page.wait_for_selector("#jobs li[data-job-id]", timeout=30_000)
    assert job is not None
    chart_page.page.wait_for_selector("#jobs li[data-charted='yes']", timeout=120_000)
    stored = api.get("/v1/bars", params={"symbol": "NASDAQ:AAPL", "interval": "1d"}).json()
    assert len(stored["bars"]) > 100
    chart_page.wait_chart(f"Number(c.candleCount) === {len(stored['bars'])}", timeout_ms=30_000)
    assert float(chart_page.chart("last-close")) == stored["bars"][-1]["c"]
    assert "done" in (job.inner_text() or "")
    assert chart_page.console_errors == []
