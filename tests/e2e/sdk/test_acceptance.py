"""Issue 15, done when: one line of Python gives ~125 daily bars from a stack with nothing
synced; the DataFrame holds exactly the bars the gateway serves; sync="auto" syncs only
what is missing."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pandas as pd

import pocketquant
from tests.e2e.sdk.conftest import RequestLog
from tests.support.pq_rest import all_bars
from tests.support.sim_reference import BarRow
from tests.support.stack_runner import E2eStack

ONE_LINER = (
    "import pocketquant; print(pocketquant.Client().bars("
    "'NASDAQ:NVDA','1d',start='2025-01-01',end='2025-07-01'))"
)
JAN_1, JUL_1 = 1735689600000, 1751328000000  # 2025-01-01, 2025-07-01 UTC


def frame_rows(frame: pd.DataFrame) -> list[BarRow]:
    times = [int(t.timestamp() * 1000) for t in frame.index]
    values = frame[["open", "high", "low", "close", "volume"]].itertuples(index=False)
    rows: list[BarRow] = []
    for t, v in zip(times, values, strict=True):
        o, h, low, c, volume = map(float, v)
        rows.append((t, o, h, low, c, volume))
    return rows


def test_the_one_liner_prints_about_125_daily_bars_on_an_empty_stack(
    sdk_stack: E2eStack, user_env: dict[str, str], user_dir: Path, gateway_http: httpx.Client
) -> None:
    assert gateway_http.get("/v1/symbols").json()["symbols"] == [], "the stack is not empty"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", ONE_LINER],
        cwd=user_dir,  # where `make up` ran: Client() finds .pq/stack.json and the dev key
        env=user_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    shape = re.search(r"\[(\d+) rows x 5 columns\]", done.stdout)
    assert shape, done.stdout
    assert 120 <= int(shape.group(1)) <= 135, done.stdout
    assert "open" in done.stdout
    assert "volume" in done.stdout
    assert "time" in done.stdout
    print(f"\none-liner on an empty stack (process start to print): {elapsed:.2f} s")


def test_bars_on_an_empty_read_model_are_the_bars_the_gateway_then_serves(
    client: pocketquant.Client, gateway_http: httpx.Client
) -> None:
    started = time.monotonic()
    frame = client.bars("NASDAQ:MSFT", "1d", start="2025-01-01", end="2025-07-01")
    elapsed = time.monotonic() - started
    print(f"\nclient.bars on a symbol never synced: {elapsed:.2f} s for {len(frame)} bars")

    assert frame.index.name == "time"
    assert str(frame.index.dtype) == "datetime64[ns, UTC]"
    assert list(frame.columns) == ["open", "high", "low", "close", "volume"]
    assert all(str(dtype) == "float64" for dtype in frame.dtypes)
    expected, _ = all_bars(gateway_http, "NASDAQ:MSFT", "1d", start=JAN_1, end=JUL_1)
    assert 120 <= len(expected) <= 135
    assert frame_rows(frame) == expected


def test_every_output_holds_the_same_bars(client: pocketquant.Client) -> None:
    span = ("NASDAQ:NVDA", "1d", "2025-01-01", "2025-07-01")
    expected = frame_rows(client.bars(*span))
    as_rows = [(int(r.time.timestamp() * 1000), *r[1:]) for r in client.bars(*span, output="rows")]
    polars = client.bars(*span, output="polars").rows()
    arrow = [tuple(row.values()) for row in client.bars(*span, output="arrow").to_pylist()]
    assert as_rows == expected
    assert [(int(r[0].timestamp() * 1000), *r[1:]) for r in polars] == expected
    assert [(int(r[0].timestamp() * 1000), *r[1:]) for r in arrow] == expected


def test_auto_sync_asks_only_for_what_is_not_covered(
    logged_client: tuple[pocketquant.Client, RequestLog],
) -> None:
    client, log = logged_client
    client.bars("NASDAQ:NVDA", "1d", start="2025-01-01", end="2025-07-01")
    assert log.sent("POST", "/v1/sync") == [], "a covered range must not be synced again"

    wider = client.bars("NASDAQ:NVDA", "1d", start="2024-12-01", end="2025-07-01")

    assert len(log.sent("POST", "/v1/sync")) == 1, "one sync for December only"
    assert wider.index[0] < pd.Timestamp("2024-12-05T00:00:00Z")
    assert wider.index[-1] < pd.Timestamp("2025-07-01T00:00:00Z")
    again = client.bars("NASDAQ:NVDA", "1d", start="2024-12-01", end="2025-07-01")
    assert len(log.sent("POST", "/v1/sync")) == 1
    pd.testing.assert_frame_equal(again, wider)


def test_sync_never_only_reads(client: pocketquant.Client) -> None:
    frame = client.bars("NASDAQ:KO", "1d", start="2025-01-01", end="2025-02-01", sync="never")
    assert frame.empty
    assert list(frame.columns) == ["open", "high", "low", "close", "volume"]


async def test_the_async_client_gives_the_same_frame(
    sdk_stack: E2eStack, client: pocketquant.Client
) -> None:
    async with pocketquant.AsyncClient(sdk_stack.gateway_url, sdk_stack.api_key) as aclient:
        frame = await aclient.bars("NASDAQ:GOOGL", "1d", start="2025-01-01", end="2025-07-01")
    assert 120 <= len(frame) <= 135
    blocking = client.bars("NASDAQ:GOOGL", "1d", start="2025-01-01", end="2025-07-01")
    pd.testing.assert_frame_equal(frame, blocking)
