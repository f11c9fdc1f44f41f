"""The whole stack, as a user sees it: a sync watched on SSE until `job.done`, with real
progress from ingest-history's fetch rounds; the job listed; its bars exported as Arrow
exactly as the JSON pages hold them; an unsynced range says why it is empty."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
import pyarrow as pa

from tests.support.bar_exports import from_json, from_table
from tests.support.stack_runner import E2eStack
from tests.support.waiting import wait_until

ARROW = "application/vnd.apache.arrow.stream"


def _watch(stack: E2eStack, job_id: str, into: list[tuple[str, dict[str, Any]]]) -> None:
    """Read the job's SSE stream until `job.done` (a thread: httpx's sync client)."""
    params = {"job_id": job_id}
    with (
        httpx.Client(base_url=stack.gateway_url, headers=stack.auth_headers(), timeout=120) as c,
        c.stream("GET", "/v1/stream/events", params=params) as stream,
    ):
        event = None
        for line in stream.iter_lines():
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: ") and event in ("job.progress", "job.done"):
                into.append((event, json.loads(line.removeprefix("data: "))))
                if event == "job.done":
                    return


def _pages(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    bars: list[dict[str, Any]] = []
    cursor = None
    while True:
        extra: dict[str, str] = {"cursor": cursor} if cursor else {}
        page = client.get("/v1/bars", params={**params, **extra, "limit": 5000}).json()
        bars += page["bars"]
        cursor = page["next_cursor"]
        if cursor is None:
            return bars


def test_a_sync_is_watched_to_done_listed_and_exported(
    running_stack: E2eStack, gateway_client: httpx.Client
) -> None:
    before = gateway_client.get("/v1/bars", params={"symbol": "NASDAQ:TSLA", "interval": "1h"})
    assert before.json()["bars"] == []
    assert before.json()["coverage"] is None  # why it is empty: never synced

    body = {"symbol": "NASDAQ:TSLA", "interval": "1h", "bars": 12_000}
    job_id = gateway_client.post("/v1/sync", json=body).json()["job_id"]
    seen: list[tuple[str, dict[str, Any]]] = []
    watcher = threading.Thread(target=_watch, args=(running_stack, job_id, seen))
    watcher.start()
    watcher.join(timeout=180)
    assert not watcher.is_alive(), f"no job.done; saw {seen}"

    kind, done = seen[-1]
    assert (kind, done["status"], done["bars"]) == ("job.done", "done", 12_000)
    assert done["progress"] == {"bars_fetched": 12_000, "bars_written": 12_000, "expected": 12_000}
    assert done["created_at"] <= done["started_at"] <= done["finished_at"]
    fetched = [job["progress"]["bars_fetched"] for _, job in seen]
    assert fetched == sorted(fetched)  # progress only moves forward (per round: integration)

    listed = gateway_client.get("/v1/sync", params={"symbol": "NASDAQ:TSLA"}).json()
    assert listed["jobs"][0]["job_id"] == job_id

    params = {"symbol": "NASDAQ:TSLA", "interval": "1h"}
    wait_until(lambda: len(_pages(gateway_client, **params)) == 12_000, timeout=30, what="bars")
    expected = from_json(_pages(gateway_client, **params))
    export = gateway_client.get("/v1/bars", params=params, headers={"Accept": ARROW})
    assert export.status_code == 200
    assert from_table(pa.ipc.open_stream(export.content).read_all()) == expected
    start, end = export.headers["pq-coverage"].split("/")
    assert start == gateway_client.get("/v1/bars", params=params).json()["coverage"]["start"]
    assert end > start
