"""Sync jobs reach SSE (`job.progress`, `job.done`) and webhooks (`job.progress`,
`job.done`), and GET /v1/sync lists them: the real query service projecting the job
events ingest-history would publish, the gateway in front of it."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from nats.aio.client import Client

from pq_domain import Interval
from pq_domain.events import SyncJobAccepted, SyncJobCompleted, SyncJobProgressed, SyncJobStarted
from pq_domain.subjects import SYNC_JOB_EVENTS
from pq_gateway.main import create_app
from pq_gateway.settings import GatewaySettings
from pq_runtime.envelope import DomainEvent
from tests.integration.gateway.sse_client import ReceivedEvent, sse_events
from tests.integration.gateway.webhook_receiver import WebhookReceiver, receiving
from tests.integration.query.events import T0, hourly_bars, publish, publish_sync, unique_symbol
from tests.support.serving import serving
from tests.support.waiting import wait_for


async def _job_events(response: httpx.Response, into: list[ReceivedEvent]) -> None:
    async for event in sse_events(response):
        if event.event in ("job.progress", "job.done"):
            into.append(event)
            if event.event == "job.done":
                return


async def test_a_job_is_watched_on_sse_and_webhooks_and_listed(
    gateway_settings: GatewaySettings, query_service_url: str, nc: Client
) -> None:
    js, symbol, job = nc.jetstream(), unique_symbol(), "job-watched"
    receiver = WebhookReceiver()
    settings = gateway_settings.model_copy(
        update={
            "query_url": query_service_url, "webhooks_enabled": True,
            "webhooks_allow_private": True, "webhooks_backoff_s": (0.2,),
        }
    )  # fmt: skip
    app = create_app(settings)
    async with (
        receiving(receiver) as hook_url,
        serving(app) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as http,
    ):

        async def worker_ready() -> bool:
            return bool(app.state.webhook_worker.ready.is_set())

        await wait_for(worker_ready, timeout=15, what="webhook worker")
        hook = {"url": hook_url, "event_types": ["job.progress", "job.done"]}
        assert (await http.post("/v1/webhooks", json=hook)).status_code == 201
        seen: list[ReceivedEvent] = []
        async with http.stream("GET", "/v1/stream/events", params={"jobs": "1"}) as stream:
            assert stream.status_code == 200
            reader = asyncio.create_task(_job_events(stream, seen))
            await asyncio.sleep(0)  # the subscription is made before the response starts
            steps: list[DomainEvent] = [
                SyncJobAccepted(job, symbol, Interval.H1, at=T0),
                SyncJobStarted(job, at=T0 + 1),
                SyncJobProgressed(job, 1000, 2000, at=T0 + 2, round=1),
                SyncJobProgressed(job, 2000, 2000, at=T0 + 3, round=2),
                SyncJobCompleted(job, bars=2000, at=T0 + 4),
            ]
            for step in steps:
                await publish(js, step, SYNC_JOB_EVENTS)
                await asyncio.sleep(0.3)  # a watcher's poll sees each state
            await publish_sync(js, job, symbol, Interval.H1, hourly_bars(2000))
            await asyncio.wait_for(reader, timeout=30)

        assert seen[-1].event == "job.done"
        done = json.loads(seen[-1].data)
        assert (done["job_id"], done["status"], done["bars"]) == (job, "done", 2000)
        assert done["progress"] == {"bars_fetched": 2000, "bars_written": 2000, "expected": 2000}
        progress = [json.loads(e.data) for e in seen[:-1]]
        assert progress
        assert all(p["status"] in ("pending", "running") for p in progress)
        fetched = [p["progress"]["bars_fetched"] for p in progress]
        assert fetched == sorted(fetched)
        assert 1000 in fetched

        listed = (await http.get("/v1/sync", params={"symbol": str(symbol)})).json()
        assert [j["job_id"] for j in listed["jobs"]] == [job]
        assert listed["jobs"][0]["status"] == "done"

        async def delivered() -> bool:
            kinds = [json.loads(r.body)["type"] for r in receiver.received]
            return kinds.count("job.progress") == 2 and "job.done" in kinds

        await wait_for(delivered, timeout=20, what="job webhooks")
    bodies: list[dict[str, Any]] = [json.loads(r.body) for r in receiver.received]
    done_hook = next(b for b in bodies if b["type"] == "job.done")
    assert (done_hook["event"], done_hook["data"]["bars"]) == ("SyncJobCompleted", 2000)


async def test_one_job_stream_starts_with_its_current_state(
    gateway_settings: GatewaySettings, query_service_url: str, nc: Client
) -> None:
    js, symbol, job = nc.jetstream(), unique_symbol(), "job-ended"
    for step in (
        SyncJobAccepted(job, symbol, Interval.H1, at=T0),
        SyncJobCompleted(job, bars=0, at=T0 + 1),
    ):
        await publish(js, step, SYNC_JOB_EVENTS)
    settings = gateway_settings.model_copy(update={"query_url": query_service_url})
    async with serving(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as http:
        seen: list[ReceivedEvent] = []
        async with http.stream("GET", "/v1/stream/events", params={"job_id": job}) as stream:
            await asyncio.wait_for(_job_events(stream, seen), timeout=30)
    assert [e.event for e in seen][-1] == "job.done"
    assert json.loads(seen[-1].data)["status"] == "done"
