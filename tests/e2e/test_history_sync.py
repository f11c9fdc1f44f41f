"""Issue 5, done when: history synced through the gateway, read back, replayed, rebuilt."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from typing import Any

import httpx
import pytest
from nats.aio.client import Client
from nats.js.api import DeliverPolicy

from tests.support.bar_events import TRACEPARENT, event_rows, job_events
from tests.support.pq_rest import all_bars, sync_and_wait, wait_job
from tests.support.sim_reference import BarRow, simulator_bars
from tests.support.stack_runner import E2eStack

AAPL = "NASDAQ:AAPL"
BARS = 5000
# ARCHITECTURE.md: symbol parts become subject tokens, `.` escaped as `~2E`, `!` kept.
ESCAPED_SUBJECTS = {
    "NYSE:BRK.B": "pq.bars.synced.NYSE.BRK~2EB.1h",
    "CME_MINI:ES1!": "pq.bars.synced.CME_MINI.ES1!.1h",
}


@pytest.fixture(scope="module")
def aapl_job(gateway_client: httpx.Client) -> dict[str, Any]:
    """The final state of one 5,000-bar 1h sync of NASDAQ:AAPL, shared by this module."""
    return sync_and_wait(gateway_client, AAPL, "1h", BARS)


@pytest.fixture(scope="module")
def aapl_reference() -> list[BarRow]:
    return simulator_bars(AAPL, "1h", BARS)


def assert_same_series(got: list[BarRow], expected: list[BarRow]) -> None:
    times = [row[0] for row in got]
    assert times == sorted(set(times)), "bars must be ascending, without duplicates"
    missing = sorted({row[0] for row in expected} - set(times))
    extra = sorted(set(times) - {row[0] for row in expected})
    assert not missing, f"{len(missing)} bars missing, e.g. t {missing[:5]}"
    assert not extra, f"{len(extra)} bars the simulator does not have, e.g. t {extra[:5]}"
    wrong = [(g, e) for g, e in zip(got, expected, strict=True) if g != e]
    assert not wrong, f"{len(wrong)} bars differ from the simulator's, e.g. {wrong[:3]}"


def test_a_5000_bar_sync_ends_done_with_5000_bars(aapl_job: dict[str, Any]) -> None:
    assert aapl_job["status"] == "done", aapl_job
    assert aapl_job["bars"] == BARS
    assert aapl_job.get("error") is None


def test_bars_page_through_exactly_the_simulator_series(
    gateway_client: httpx.Client, aapl_job: dict[str, Any], aapl_reference: list[BarRow]
) -> None:
    rows, pages = all_bars(gateway_client, AAPL, "1h", limit=1000)

    assert len(rows) == BARS
    assert pages in (5, 6), f"{pages} pages of at most 1,000 for 5,000 bars"
    assert_same_series(rows, aapl_reference)
    bad = [r for r in rows if not (r[3] <= min(r[1], r[4]) <= max(r[1], r[4]) <= r[2])]
    assert not bad, f"OHLC inconsistent: {bad[:3]}"
    assert all(r[5] >= 0 for r in rows), "negative volume"
    uneven, _ = all_bars(gateway_client, AAPL, "1h", limit=777)
    assert uneven == rows, "a different page size must page through the same bars"


@pytest.mark.parametrize("symbol", sorted(ESCAPED_SUBJECTS))
async def test_symbols_needing_escaping_sync_end_to_end(
    gateway_client: httpx.Client, nats_client: Client, symbol: str
) -> None:
    subscription = await nats_client.jetstream().subscribe(
        ESCAPED_SUBJECTS[symbol], ordered_consumer=True, deliver_policy=DeliverPolicy.NEW
    )
    job = await asyncio.to_thread(sync_and_wait, gateway_client, symbol, "1h", 1200)
    assert (job["status"], job["bars"]) == ("done", 1200), job

    expected = simulator_bars(symbol, "1h", 1200)
    events = await job_events(subscription, job["job_id"], 1200)
    assert {event.payload["symbol"] for event in events} == {symbol}
    assert event_rows(events) == expected
    rows, _ = await asyncio.to_thread(all_bars, gateway_client, symbol, "1h")
    assert_same_series(rows, expected)


async def test_bar_synced_events_carry_the_documented_headers_and_payload(
    gateway_client: httpx.Client, nats_client: Client
) -> None:
    subscription = await nats_client.jetstream().subscribe(
        "pq.bars.synced.>", ordered_consumer=True, deliver_policy=DeliverPolicy.NEW
    )
    correlation_id = f"e2e-events-{uuid.uuid4().hex[:8]}"
    trace_id = os.urandom(16).hex()
    body = {"symbol": "NASDAQ:MSFT", "interval": "1h", "bars": 2500}
    response = await asyncio.to_thread(
        lambda: gateway_client.post(
            "/v1/sync",
            json=body,
            headers={
                "X-Correlation-ID": correlation_id,
                "traceparent": f"00-{trace_id}-{os.urandom(8).hex()}-01",
            },
        )
    )
    assert response.status_code == 202, response.text
    job = await asyncio.to_thread(wait_job, gateway_client, response.json()["job_id"])
    assert (job["status"], job["bars"]) == ("done", 2500), job

    events = await job_events(subscription, job["job_id"], 2500)
    assert len(events) >= 3, "at most 1,000 bars per event"
    ids = [event.headers.get("Nats-Msg-Id") for event in events]
    assert all(ids), f"Nats-Msg-Id missing: {ids}"
    assert len(set(ids)) == len(ids), f"Nats-Msg-Id repeated: {ids}"
    for event in events:
        assert event.subject == "pq.bars.synced.NASDAQ.MSFT.1h"
        assert event.headers.get("Pq-Event-Type") == "BarSynced", event.headers
        assert event.headers.get("Pq-Schema-Version") == "1", event.headers
        assert event.headers.get("X-Correlation-ID") == correlation_id, event.headers
        trace = TRACEPARENT.match(event.headers.get("traceparent", ""))
        assert trace, f"no W3C traceparent: {event.headers}"
        assert trace.group(1) == trace_id, "the event continues the client's trace"
        payload = event.payload
        assert (payload["job_id"], payload["symbol"], payload["interval"]) == (
            job["job_id"],
            "NASDAQ:MSFT",
            "1h",
        )
        assert 1 <= len(payload["bars"]) <= 1000
        assert all(isinstance(bar["t"], int) for bar in payload["bars"]), "t in epoch ms"
    assert event_rows(events) == simulator_bars("NASDAQ:MSFT", "1h", 2500)


async def test_the_5000_bar_sync_is_on_the_stream_in_chunks_of_at_most_1000(
    nats_client: Client, aapl_job: dict[str, Any], aapl_reference: list[BarRow]
) -> None:
    subscription = await nats_client.jetstream().subscribe(
        "pq.bars.synced.NASDAQ.AAPL.1h", ordered_consumer=True, deliver_policy=DeliverPolicy.ALL
    )
    events = await job_events(subscription, aapl_job["job_id"], BARS)
    assert all(len(event.payload["bars"]) <= 1000 for event in events)
    assert event_rows(events) == aapl_reference


def test_the_same_sync_twice_leaves_the_read_model_unchanged(
    gateway_client: httpx.Client, aapl_job: dict[str, Any]
) -> None:
    before, _ = all_bars(gateway_client, AAPL, "1h")
    symbols_before = gateway_client.get("/v1/symbols").json()

    again = sync_and_wait(gateway_client, AAPL, "1h", BARS)

    assert (again["status"], again["bars"]) == ("done", BARS), again
    assert again["job_id"] != aapl_job["job_id"]
    after, _ = all_bars(gateway_client, AAPL, "1h")
    assert after == before, "a repeated sync must not add, drop or change bars"
    assert gateway_client.get("/v1/symbols").json() == symbols_before


def read_model(client: httpx.Client) -> dict[str, Any]:
    """Everything the bars read model serves: the symbols list and every bar of each."""
    symbols = client.get("/v1/symbols")
    assert symbols.status_code == 200, symbols.text
    model: dict[str, Any] = {"symbols": symbols.json()}
    for entry in model["symbols"]["symbols"]:
        for coverage in entry["intervals"]:
            key = f"{entry['symbol']} {coverage['interval']}"
            model[key], _ = all_bars(client, entry["symbol"], coverage["interval"], limit=10_000)
    return model


def test_rebuild_reproduces_the_read_model_exactly(
    running_stack: E2eStack, gateway_client: httpx.Client, aapl_job: dict[str, Any]
) -> None:
    before = read_model(gateway_client)
    assert f"{AAPL} 1h" in before, before["symbols"]

    done = running_stack.pq("projections", "rebuild", "bars")

    assert done.returncode == 0, f"pq projections rebuild bars: {done.stdout}{done.stderr}"
    report = json.loads(done.stdout)
    assert report["generation"] != report["replaced_generation"], f"nothing swapped: {report}"
    assert report["events"] > 0, f"nothing replayed: {report}"
    after = read_model(gateway_client)
    assert after.keys() == before.keys()
    for key in before:
        assert after[key] == before[key], f"{key} differs after the rebuild"
