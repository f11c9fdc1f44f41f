"""POST /v1/sync publishes SyncRequested on pq.cmd.sync with the contract's headers."""

from __future__ import annotations

import httpx
from nats.aio.client import Client

from pq_domain import Interval, Symbol
from pq_domain.events import SyncRequested
from pq_domain.subjects import STREAM_CMD, SYNC_COMMAND
from pq_runtime.codec import decode

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


async def test_sync_is_published_with_headers_and_payload(gateway_url: str, nc: Client) -> None:
    commands = await nc.jetstream().pull_subscribe(SYNC_COMMAND, stream=STREAM_CMD.name)
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        response = await http.post(
            "/v1/sync",
            json={"symbol": "NYSE:BRK.B", "interval": "1h", "bars": 5000},
            headers={"X-Correlation-ID": "it-sync-1", "traceparent": TRACEPARENT},
        )
    assert response.status_code == 202, response.text
    job_id = response.json()["job_id"]
    assert response.headers["location"] == f"/v1/sync/{job_id}"
    assert response.headers["x-correlation-id"] == "it-sync-1"

    [msg] = await commands.fetch(1, timeout=10)
    assert msg.subject == SYNC_COMMAND
    assert msg.headers is not None
    assert msg.headers["Nats-Msg-Id"] == f"sync-requested:{job_id}"
    assert msg.headers["Pq-Event-Type"] == "SyncRequested"
    assert msg.headers["Pq-Schema-Version"] == "1"
    assert msg.headers["X-Correlation-ID"] == "it-sync-1"
    # The caller's trace continues; the parent id is the gateway's own (publish) span.
    assert msg.headers["traceparent"].split("-")[1] == TRACEPARENT.split("-")[1]
    payload = decode(msg.data)
    assert payload == {
        "job_id": job_id,
        "symbol": "NYSE:BRK.B",
        "interval": "1h",
        "bars": 5000,
        "start": None,
        "end": None,
    }
    assert SyncRequested.from_payload(payload).symbol == Symbol("NYSE", "BRK.B")


async def test_range_sync_carries_epoch_ms(gateway_url: str, nc: Client) -> None:
    commands = await nc.jetstream().pull_subscribe(SYNC_COMMAND, stream=STREAM_CMD.name)
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        response = await http.post(
            "/v1/sync",
            json={
                "symbol": "CME_MINI:ES1!",
                "interval": "1d",
                "start": "2024-01-01T00:00:00Z",
                "end": 1_706_745_600_000,
            },
        )
    assert response.status_code == 202, response.text
    [msg] = await commands.fetch(1, timeout=10)
    command = SyncRequested.from_payload(decode(msg.data))
    assert command.interval is Interval.D1
    assert (command.bars, command.start, command.end) == (
        None,
        1_704_067_200_000,
        1_706_745_600_000,
    )
    assert msg.headers is not None
    assert len(msg.headers["X-Correlation-ID"]) == 32  # minted, since none was sent
