"""Sync jobs from the SDK, and large reads through the bulk export.

The gateway's job listing and Arrow export (issue 15, items 2 and 3) may not be there
yet: where they are, these tests assert the SDK uses them; where they are not, that the
SDK falls back (JSON pages; `NotSupported` for listing) with the same results.
"""

from __future__ import annotations

import httpx
import pytest

import pocketquant
from tests.e2e.sdk.conftest import ARROW, GatewayCapabilities, RequestLog
from tests.e2e.sdk.test_acceptance import frame_rows
from tests.support.pq_rest import all_bars, epoch_ms
from tests.support.stack_runner import E2eStack

MAR_3, APR_19 = "2025-03-03T00:00:00Z", "2025-04-19T00:00:00Z"  # 7 weeks of 1m bars


def test_a_sync_job_is_waited_for_with_a_progress_bar(
    client: pocketquant.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    job = client.sync("NASDAQ:AMZN", "1h", bars=3000)
    assert (job.status, job.symbol, job.interval) == ("pending", "NASDAQ:AMZN", "1h")

    final = job.wait(progress=True, timeout=240)

    assert (final.status, final.bars, final.error) == ("done", 3000, None)
    assert "3000/3000" in capsys.readouterr().err, "the bar ends full"
    refreshed = final.refresh()
    assert (refreshed.job_id, refreshed.status, refreshed.bars) == (final.job_id, "done", 3000)


def test_jobs_are_listed_newest_first_with_progress_where_the_gateway_lists_them(
    client: pocketquant.Client, gateway_capabilities: GatewayCapabilities
) -> None:
    first = client.sync("NASDAQ:TSLA", "1h", bars=500).wait(timeout=240)
    second = client.sync("NASDAQ:TSLA", "4h", bars=200).wait(timeout=240)
    if not gateway_capabilities.job_listing:
        with pytest.raises(pocketquant.NotSupported, match="cannot list sync jobs"):
            client.jobs()
        return
    listed = client.jobs(symbol="NASDAQ:TSLA")
    ids = [job.job_id for job in listed]
    assert ids.index(second.job_id) < ids.index(first.job_id), "newest first"
    assert {job.symbol for job in listed} == {"NASDAQ:TSLA"}
    mine = listed[ids.index(first.job_id)]
    assert (mine.status, mine.interval, mine.bars) == ("done", "1h", 500)
    assert mine.progress is not None
    assert mine.progress.bars_written == 500
    assert mine.created_at is not None
    assert mine.finished_at is not None
    assert mine.created_at <= mine.finished_at
    done = client.jobs(status="done", limit=1)
    assert len(done) == 1
    assert done[0].status == "done"


async def test_the_async_client_syncs_and_waits(sdk_stack: E2eStack) -> None:
    async with pocketquant.AsyncClient(sdk_stack.gateway_url, sdk_stack.api_key) as client:
        job = await client.sync("NYSE:DIS", "1d", start="2025-01-01", end="2025-04-01")
        final = await job.wait(timeout=240)
        assert (final.status, final.symbol) == ("done", "NYSE:DIS")
        assert final.bars is not None
        assert 55 <= final.bars <= 65


def test_a_large_range_comes_in_one_export_or_in_json_pages(
    logged_client: tuple[pocketquant.Client, RequestLog],
    gateway_http: httpx.Client,
    gateway_capabilities: GatewayCapabilities,
) -> None:
    client, log = logged_client
    frame = client.bars("NASDAQ:AAPL", "1m", start=MAR_3, end=APR_19)

    expected, pages = all_bars(
        gateway_http, "NASDAQ:AAPL", "1m", 10_000, start=epoch_ms(MAR_3), end=epoch_ms(APR_19)
    )
    assert len(expected) > 10_000
    assert pages >= 2
    assert frame_rows(frame) == expected
    reads = [media for _, _, status, media in log.sent("GET", "/v1/bars") if status == 200]
    if gateway_capabilities.arrow_export:
        assert reads == ["application/json", ARROW], "a coverage probe, then one export"
    else:
        assert reads == ["application/json"] * len(reads), "the probe, then JSON pages"
        assert len(reads) >= 3, "the probe and at least two pages"
