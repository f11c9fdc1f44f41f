"""`pq sync`, `pq bars`, `pq jobs`, `pq watch`, `pq tail` run as a user runs them, against
the stack their environment names (PQ_DATA_DIR -> stack.json, dev-api-key)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import httpx
import pyarrow.parquet as pq
import pytest

from tests.e2e.sdk.conftest import GatewayCapabilities
from tests.support.pq_rest import all_bars, epoch_ms
from tests.support.stack_runner import E2eStack

POCKETQUANT = Path(sys.executable).parent / "pocketquant"


def test_pq_lists_the_sdk_commands(sdk_stack: E2eStack) -> None:
    done = sdk_stack.pq("--help")
    assert done.returncode == 0, done.stderr
    for name in ("sync", "bars", "tail", "jobs", "watch", "up", "status"):
        assert f"    {name} " in done.stdout, f"pq {name} missing:\n{done.stdout}"


def test_pq_sync_wait_shows_progress_and_prints_the_outcome(sdk_stack: E2eStack) -> None:
    done = sdk_stack.pq("sync", "NYSE:JPM", "1h", "--bars", "700", "--wait", timeout=300)
    assert done.returncode == 0, done.stderr
    job_id, status, bars = done.stdout.split()
    assert (status, bars) == ("done", "700")
    assert len(job_id) >= 8
    assert "700/700" in done.stderr


def test_pq_sync_without_wait_then_pq_jobs(
    sdk_stack: E2eStack, gateway_capabilities: GatewayCapabilities
) -> None:
    done = sdk_stack.pq("sync", "NYSE:KO", "1d", "--start", "2025-01-01", "--end", "2025-03-01")
    assert done.returncode == 0, done.stderr
    job_id, status, _ = done.stdout.split()
    assert status in ("pending", "running", "done")
    listed = sdk_stack.pq("jobs", "--symbol", "NYSE:KO")
    if gateway_capabilities.job_listing:
        assert listed.returncode == 0, listed.stderr
        assert job_id in listed.stdout
    else:
        assert listed.returncode == 1
        assert "cannot list sync jobs" in listed.stderr


def test_pq_sync_needs_bars_or_a_range(sdk_stack: E2eStack) -> None:
    done = sdk_stack.pq("sync", "NYSE:KO", "1d")
    assert done.returncode == 2
    assert "--bars" in done.stderr


def test_pq_bars_csv_is_what_the_gateway_serves(
    sdk_stack: E2eStack, gateway_http: httpx.Client
) -> None:
    args = ("NYSE:BRK.B", "1d", "--start", "2025-01-01", "--end", "2025-04-01")
    done = sdk_stack.pq("bars", *args, "--format", "csv", timeout=300)  # syncs first
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == ["time", "open", "high", "low", "close", "volume"]
    expected, _ = all_bars(
        gateway_http,
        "NYSE:BRK.B",
        "1d",
        start=epoch_ms("2025-01-01T00:00:00Z"),
        end=epoch_ms("2025-04-01T00:00:00Z"),
    )
    assert 55 <= len(expected) <= 65
    got = [(epoch_ms(r[0]), *map(float, r[1:])) for r in rows[1:]]
    assert got == expected


def test_pq_bars_parquet_and_table(sdk_stack: E2eStack, tmp_path: Path) -> None:
    target = tmp_path / "brk.parquet"
    args = ("NYSE:BRK.B", "1d", "--start", "2025-01-01", "--end", "2025-04-01")
    done = sdk_stack.pq("bars", *args, "--format", "parquet", "-o", str(target))
    assert done.returncode == 0, done.stderr
    table = pq.read_table(target)
    assert table.column_names == ["time", "open", "high", "low", "close", "volume"]
    assert 55 <= table.num_rows <= 65
    shown = sdk_stack.pq("bars", *args, "--limit", "3", "--no-sync")
    assert shown.returncode == 0, shown.stderr
    assert "NYSE:BRK.B 1d: 3 bars" in shown.stdout
    assert "2025-01-02" in shown.stdout


def test_pq_bars_with_a_bad_symbol_names_the_field(sdk_stack: E2eStack) -> None:
    done = sdk_stack.pq("bars", "NYSE", "1d")
    assert done.returncode == 2
    assert "query.symbol" in done.stderr


def test_pq_watch_add_list_remove(sdk_stack: E2eStack) -> None:
    assert sdk_stack.pq("watch", "add", "BINANCE:XRPUSDT").returncode == 0
    listed = sdk_stack.pq("watch", "list")
    assert "BINANCE:XRPUSDT" in listed.stdout
    removed = sdk_stack.pq("watch", "remove", "BINANCE:XRPUSDT")
    assert removed.returncode == 0, removed.stderr
    assert "BINANCE:XRPUSDT" not in sdk_stack.pq("watch", "list").stdout
    again = sdk_stack.pq("watch", "remove", "BINANCE:XRPUSDT")
    assert again.returncode == 1
    assert "not on the watchlist" in again.stderr


@pytest.mark.timeout(400)
def test_pq_tail_prints_live_quotes(sdk_stack: E2eStack) -> None:
    assert sdk_stack.pq("watch", "add", "BINANCE:BTCUSDT").returncode == 0
    done = sdk_stack.pq("tail", "BINANCE:BTCUSDT", "--count", "5", timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 5
    assert all("BINANCE:BTCUSDT" in line for line in lines)
    assert any(" quote " in line for line in lines)


def test_the_pocketquant_command_runs_the_same_commands(
    sdk_stack: E2eStack, user_env: dict[str, str], user_dir: Path
) -> None:
    done = subprocess.run(
        [str(POCKETQUANT), "sync", "NASDAQ:AAPL", "1d", "--bars", "10", "--wait"],
        cwd=user_dir,  # no PQ_* at all: the local stack's files
        env=user_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[1:] == ["done", "10"]
