"""Idempotency-Key with a real Redis and JetStream: one job for many identical POSTs."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from nats.aio.client import Client

from pq_domain.subjects import STREAM_CMD, SYNC_COMMAND
from pq_runtime.messaging import ensure_topology

BODY = {"symbol": "NASDAQ:AAPL", "interval": "1h", "bars": 100}


async def _count_commands(nc: Client) -> int:
    info = await nc.jetstream().stream_info(STREAM_CMD.name, subjects_filter=SYNC_COMMAND)
    return info.state.messages


async def test_twenty_concurrent_posts_make_one_job(gateway_url: str, nc: Client) -> None:
    key = {"Idempotency-Key": f"it-{uuid.uuid4()}"}
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        answers = await asyncio.gather(
            *(http.post("/v1/sync", json=BODY, headers=key) for _ in range(20))
        )
        statuses = sorted(a.status_code for a in answers)
        assert set(statuses) <= {202, 409}, statuses
        accepted = [a for a in answers if a.status_code == 202]
        assert len({a.json()["job_id"] for a in accepted}) == 1
        assert sum(1 for a in accepted if "idempotent-replayed" not in a.headers) == 1
        assert all(a.headers["retry-after"] == "1" for a in answers if a.status_code == 409)

        replay = await http.post("/v1/sync", json=BODY, headers=key)
    assert replay.status_code == 202
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json() == accepted[0].json()
    assert replay.headers["location"] == accepted[0].headers["location"]
    assert await _count_commands(nc) == 1


async def test_same_key_other_payload_is_422(gateway_url: str, nc: Client) -> None:
    key = {"Idempotency-Key": f"it-{uuid.uuid4()}"}
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        assert (await http.post("/v1/sync", json=BODY, headers=key)).status_code == 202
        other = await http.post("/v1/sync", json={**BODY, "bars": 99}, headers=key)
    assert other.status_code == 422
    assert other.json()["type"] == "urn:pq:problem:idempotency-key-reused"


async def test_a_malformed_key_is_400(gateway_url: str, nc: Client) -> None:
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        answer = await http.post("/v1/sync", json=BODY, headers={"Idempotency-Key": "x" * 256})
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "header.idempotency-key"


async def test_a_failed_request_frees_its_key(gateway_url: str, nc: Client) -> None:
    """503 (the command stream is gone) is not kept: the retry runs and succeeds."""
    js = nc.jetstream()
    await js.delete_stream(STREAM_CMD.name)
    key = {"Idempotency-Key": f"it-{uuid.uuid4()}"}
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        assert (await http.post("/v1/sync", json=BODY, headers=key)).status_code == 503
        await ensure_topology(js)
        retried = await http.post("/v1/sync", json=BODY, headers=key)
    assert retried.status_code == 202, retried.text
    assert "idempotent-replayed" not in retried.headers
