"""`pq up` starts the simulator and ingest-history; a command sent to its NATS gets synced."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pq_launcher.ports import free_port
from pq_runtime.messaging import connect_nats
from tests.integration.ingest_history.stream_probe import outcome_of, publish_command, sync_command
from tests.integration.launcher.running_stack import RunningStack, start_pq_up
from tests.support.waiting import wait_for


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[RunningStack]:
    running = start_pq_up(
        tmp_path / "pq",
        PQ_TVSIM_PORT=str(free_port()),
        PQ_INGEST_HISTORY_PORT=str(free_port()),
    )
    yield running
    if running.process.poll() is None:
        running.process.kill()  # its children follow through PDEATHSIG
        running.process.wait()


async def test_pq_up_runs_the_simulator_and_ingest_history(stack: RunningStack) -> None:
    record = stack.wait_ready(timeout=60)
    names = [child.name for child in record.processes]
    assert names.index("tv-simulator") < names.index("ingest-history")  # history needs TradingView
    assert record.endpoints["tradingview_url"].endswith("/socket.io/websocket")
    port = stack.env["PQ_INGEST_HISTORY_PORT"]
    async with httpx.AsyncClient() as http:
        assert (await http.get(f"http://127.0.0.1:{port}/health")).status_code == 200

    nc = await connect_nats(record.endpoints["nats_url"], name="stack-test")
    try:
        js = nc.jetstream()
        command = sync_command("stack-1", "NYSE:BRK.B", 100)
        await publish_command(js, command)
        outcome = await wait_for(lambda: outcome_of(js, "stack-1"), timeout=20, what="outcome")
    finally:
        await nc.close()
    assert outcome.event_type == "SyncJobCompleted"
    assert outcome.data["bars"] == 100
    assert (Path(stack.env["PQ_DATA_DIR"]) / "data" / "ingest-history.db").exists()

    stack.process.send_signal(signal.SIGINT)
    assert stack.wait_exit() == 0
