"""Look inside a running `pq up` stack: health, PIDs, kills, outboxes, consumers, simulator.

Everything goes through what an operator has: each child's /health and /metrics,
`stack.json` (PIDs, rewritten by the supervisor on every restart), the services' SQLite
files under `<data dir>/data`, JetStream consumer info and the simulator's /control API.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from typing import Any

import httpx
from nats.aio.client import Client

from pq_launcher.ports import LOOPBACK
from pq_launcher.stack_file import read_stack_file
from tests.support.stack_runner import E2eStack
from tests.support.waiting import wait_until

HTTP_SERVICES = {  # stack.json name -> port name in E2eStack.ports
    "gateway": "gateway",
    "query": "query",
    "ingest-history": "ingest_history",
    "ingest-stream": "ingest_stream",
    "bar-builder": "bar_builder",
}
WORK_STREAMS = ("PQ_QUOTES_PARTITIONED", "PQ_BARS", "PQ_CMD", "PQ_JOBS")
# Webhook fan-out is delivery to third parties, not the bars pipeline: with no webhook
# registered it has nothing to do, and its lag says nothing about the read model.
NOT_PIPELINE = ("gateway-webhooks-",)


def service_url(stack: E2eStack, name: str) -> str:
    return f"http://{LOOPBACK}:{stack.ports[HTTP_SERVICES[name]]}"


def replica_urls(stack: E2eStack, name: str) -> dict[str, str]:
    """Each process of service `name` (its replicas under PQ_REPLICAS) -> its HTTP URL."""
    record = read_stack_file(stack.data_dir / "stack.json")
    found = {
        child.name: child.urls["http_url"]
        for child in (record.processes if record else [])
        if (child.service or child.name) == name and "http_url" in child.urls
    }
    return found or {name: service_url(stack, name)}


def health_failures(stack: E2eStack) -> dict[str, str]:
    """Service processes whose /health is not 200 right now, with what they answered."""
    failures: dict[str, str] = {}
    for service in HTTP_SERVICES:
        for name, url in replica_urls(stack, service).items():
            try:
                response = httpx.get(f"{url}/health", timeout=2)
            except httpx.HTTPError as exc:
                failures[name] = type(exc).__name__
                continue
            if response.status_code != 200:
                failures[name] = f"{response.status_code} {response.text[:200]}"
    return failures


def wait_healthy(stack: E2eStack, timeout: float, after: str) -> float:
    """Wait until every service's /health is 200; returns the seconds it took."""
    began = time.monotonic()
    last: dict[str, str] = {}

    def all_healthy() -> bool:
        last.clear()
        last.update(health_failures(stack))
        return not last

    try:
        wait_until(all_healthy, timeout=timeout, interval=0.25, what=f"all healthy after {after}")
    except AssertionError:
        raise AssertionError(
            f"not healthy {timeout}s after {after}: {last}\n{stack.logs(25)}"
        ) from None
    return time.monotonic() - began


def child_pid(stack: E2eStack, name: str) -> int | None:
    record = read_stack_file(stack.data_dir / "stack.json")
    assert record is not None, "stack.json is gone"
    return next((c.pid for c in record.processes if c.name == name), None)


def kill_child(stack: E2eStack, name: str, sig: signal.Signals = signal.SIGKILL) -> int:
    """Signal a child by its stack.json PID; wait until the supervisor restarted it."""
    old = child_pid(stack, name)
    assert old is not None, f"no {name} in stack.json"
    os.kill(old, sig)

    def restarted() -> int | None:
        pid = child_pid(stack, name)
        return pid if pid not in (None, old) else None

    try:
        new = wait_until(restarted, timeout=30, interval=0.1, what=f"{name} restarted")
    except AssertionError:
        raise AssertionError(
            f"{name} (pid {old}) not restarted after {sig.name}\n{stack.logs(25)}"
        ) from None
    assert new is not None
    return new


def outbox_backlog(stack: E2eStack, older_than_s: float) -> dict[str, int]:
    """Unsent outbox rows older than `older_than_s`, per service database that has some."""
    stuck: dict[str, int] = {}
    cutoff = time.time() - older_than_s
    for db in sorted((stack.data_dir / "data").glob("*.db")):
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if "pq_outbox" not in tables:
                continue
            (count,) = conn.execute(
                "SELECT count(*) FROM pq_outbox WHERE sent_at IS NULL AND created_at < ?",
                (cutoff,),
            ).fetchone()
        if count:
            stuck[db.name] = int(count)
    return stuck


def oldest_unsent_age(stack: E2eStack) -> float:
    """Age in seconds of the oldest unsent outbox row over every service database; 0: none."""
    oldest = time.time()
    for db in sorted((stack.data_dir / "data").glob("*.db")):
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if "pq_outbox" not in tables:
                continue
            (first,) = conn.execute(
                "SELECT min(created_at) FROM pq_outbox WHERE sent_at IS NULL"
            ).fetchone()
        if first is not None:
            oldest = min(oldest, float(first))
    return time.time() - oldest


async def consumers_behind(nc: Client, streams: tuple[str, ...] = WORK_STREAMS) -> dict[str, Any]:
    """Durable consumers with messages still to deliver or to ack, and work-queue leftovers."""
    js = nc.jetstream()
    behind: dict[str, Any] = {}
    for stream in streams:
        for info in await js.consumers_info(stream):
            durable = info.config.durable_name
            if durable is None or durable.startswith(NOT_PIPELINE):
                continue
            if info.num_pending or info.num_ack_pending:
                behind[f"{stream}/{info.name}"] = (info.num_pending, info.num_ack_pending)
    cmd = await js.stream_info("PQ_CMD")
    if cmd.state.messages:
        behind["PQ_CMD messages"] = cmd.state.messages
    # The bar-builder's work stream sources PQ_QUOTES: after a node restart the server may
    # take a while to resume sourcing, and its consumers are then "caught up" with a
    # stream that is not. Quiet means every stored quote reached it.
    quotes = (await js.stream_info("PQ_QUOTES")).state.messages
    partitioned = (await js.stream_info("PQ_QUOTES_PARTITIONED")).state.messages
    if partitioned < quotes:
        behind["PQ_QUOTES_PARTITIONED sourcing"] = quotes - partitioned
    return behind


def sim_control(stack: E2eStack, method: str, path: str, body: Any = None) -> Any:
    url = f"http://{LOOPBACK}:{stack.ports['tvsim']}/control/{path}"
    response = httpx.request(method, url, json=body, timeout=15)
    assert response.status_code == 200, f"{method} {url}: {response.status_code} {response.text}"
    return response.json()


def set_sim_clock(
    stack: E2eStack, *, speed: float, until_ms: int | None = None, then: float | None = None
) -> None:
    """The simulator's event time goes on at `speed` (0: held still); with `until_ms`, only
    until that event time, then at `then` (tools/tv-simulator: POST /control/clock)."""
    body: dict[str, float] = {"speed": speed}
    if until_ms is not None and then is not None:
        body |= {"until_ms": until_ms, "then": then}
    sim_control(stack, "POST", "clock", body)


def sim_event_time_ms(stack: E2eStack) -> int:
    return int(sim_control(stack, "GET", "status")["event_time_ms"])


def metric(stack: E2eStack, name: str, series: str) -> float:
    """Sum of the samples of `series` (a metric name, labels ignored) on the /metrics of
    every process of service `name`."""
    values = []
    for url in replica_urls(stack, name).values():
        text = httpx.get(f"{url}/metrics", timeout=5).text
        values += [
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith(series) and line[len(series) : len(series) + 1] in ("{", " ")
        ]
    return sum(values)
