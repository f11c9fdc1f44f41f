"""Cost of durability and of scale-out, each on whole `pq up` stacks in one run.

Three stacks, one after the other (never side by side: they would share the two cores):
R1 (one nats-server, one process per service), R3 (PQ_NATS_CLUSTER=3: every stream and
KV bucket on three nodes) and R1 with two ingest-stream shards (PQ_REPLICAS). On each:

- live: 100 synthetic coins at 60 ticks per market minute, simulator at 30x (3,000
  quotes/s offered) for 15 s, then unsubscribed; the
  ingest rate is PQ_QUOTES growth during the flow, the pipeline rate every stored quote
  over the time from subscribing until ingest-stream -> bar-builder -> query is quiet
  (consumers caught up, outboxes empty);
- history: POST /v1/sync of 5,000 1h bars until all are readable, median of three
  symbols, as bars/s.

Query projection, one process vs two: 200 BarSynced chunks of 1,000 bars published to
PQ_BARS on a fresh nats-server, with 1 or 2 `python -m pq_query` processes sharing one
read model, timed until their durable consumer has acked all.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from functools import partial
from pathlib import Path

import httpx
import nats

from bench.bench_history_e2e import SYMBOLS, SYNC_BARS, _sync_seconds
from bench.harness import BenchRow
from pq_domain import Bar, Interval, Symbol
from pq_domain.events import BarSynced
from pq_domain.subjects import bars_synced_subject
from pq_launcher.ports import LOOPBACK, free_port
from pq_launcher.servers import start_nats_on_free_ports, start_redis_on_free_ports
from pq_runtime.envelope import Envelope
from pq_runtime.messaging import connect_nats, ensure_topology
from tests.support.live_flow import live_overrides, subscribe, wait_quiet
from tests.support.nats_cluster import nats_cluster_env
from tests.support.sim_universe import write_universe
from tests.support.stack_runner import E2eStack, start_stack
from tests.support.waiting import wait_until

COINS = 100
TICK_RATE = 60
SPEED = 30.0
FLOW_S = 15.0
CHUNKS = 200
T0 = 1_704_067_200_000
# No history work during the flow: no initial backfill, and a backlog deep enough that
# ingest-stream never drops quotes (a drop opens a gap, and a gap is backfilled by syncs).
LIVE_ENV = {
    "PQ_INITIAL_BACKFILL_S": "0",
    "PQ_BACKFILL_INTERVALS": "1m",
    "PQ_TRADINGVIEW_BACKLOG_PER_SYMBOL": "1000000",
    "PQ_RATE_LIMIT_WRITES": "2000/60",
}


async def _quotes_stored(stack: E2eStack) -> int:
    nc = await nats.connect(stack.nats_urls, connect_timeout=5)
    try:
        return int((await nc.jetstream().stream_info("PQ_QUOTES")).state.last_seq)
    finally:
        await nc.close()


async def _quiet(stack: E2eStack) -> None:
    nc = await nats.connect(stack.nats_urls, connect_timeout=5)
    try:
        await wait_quiet(stack, nc, within=600)
    finally:
        await nc.close()


def _live(stack: E2eStack, client: httpx.Client, symbols: tuple[str, ...]) -> tuple[float, float]:
    """(ingest quotes/s during the flow, pipeline quotes/s until quiet)."""
    began = time.perf_counter()
    subscribe(client, symbols)
    wait_until(lambda: asyncio.run(_quotes_stored(stack)) > 0, timeout=60, what="first quotes")
    flow_began, first = time.perf_counter(), asyncio.run(_quotes_stored(stack))
    time.sleep(FLOW_S)  # a benchmark's measuring window, not a wait for a condition
    ingested = asyncio.run(_quotes_stored(stack)) - first
    ingest_rate = ingested / (time.perf_counter() - flow_began)
    for symbol in symbols:
        client.delete(f"/v1/stream/subscriptions/{symbol}")
    asyncio.run(_quiet(stack))
    total = asyncio.run(_quotes_stored(stack))
    return ingest_rate, total / (time.perf_counter() - began)


def _measure(folder: Path, name: str, env: dict[str, str]) -> dict[str, float]:
    universe = folder / "universe.json"
    # The shipped stocks are only synced; the live flow is the synthetic coins.
    coins = write_universe(universe, SYMBOLS, COINS, tick_rate=TICK_RATE)[len(SYMBOLS) :]
    overrides = live_overrides(SPEED, timedelta(hours=2), PQ_TVSIM_UNIVERSE=str(universe))
    stack = start_stack(folder / name, ready_timeout=150.0, **(overrides | LIVE_ENV | env))
    try:
        with httpx.Client(
            base_url=stack.gateway_url, headers=stack.auth_headers(), timeout=60
        ) as client:
            syncs = [_sync_seconds(client, symbol) for symbol in SYMBOLS]
            ingest, pipeline = _live(stack, client, coins)
    finally:
        stack.stop()
    return {"ingest": ingest, "pipeline": pipeline, "sync": SYNC_BARS / statistics.median(syncs)}


def _projection(folder: Path, processes: int) -> float:
    """bars/s of `processes` query processes draining 200 chunks of 1,000 bars."""
    nats_server = start_nats_on_free_ports(folder / "nats")
    redis_server = start_redis_on_free_ports(folder / "redis")
    children: list[subprocess.Popen[bytes]] = []
    try:
        env = {
            "PATH": "/usr/bin:/bin",
            "PQ_NATS_URL": nats_server.url,
            "PQ_REDIS_URL": redis_server.url,
            "PQ_DATA_DIR": str(folder / "data"),
        }
        for port in [free_port() for _ in range(processes)]:
            children.append(
                subprocess.Popen(
                    [sys.executable, "-m", "pq_query"],
                    env={**env, "PQ_HTTP_PORT": str(port)},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            wait_until(partial(_healthy, port), timeout=60, what=f"query on {port}")
        return asyncio.run(_drain(nats_server.url))
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait(30)
        redis_server.stop()
        nats_server.stop()


async def _drain(url: str) -> float:
    nc = await connect_nats(url, name="bench")
    js = nc.jetstream()
    await ensure_topology(js)
    symbol = Symbol("BENCH", "LOAD")
    started = time.perf_counter()
    for k in range(CHUNKS):
        bars = tuple(
            Bar(T0 + (k * 1000 + i) * 60_000, 100.0, 108.0, 99.0, 101.0, 10.0 + i)
            for i in range(1000)
        )
        event = BarSynced("load", symbol, Interval.M1, bars, k, CHUNKS)
        envelope = Envelope.of(event, bars_synced_subject(event.symbol, event.interval))
        await js.publish(envelope.subject, envelope.payload, headers=envelope.headers())
    while True:
        info = await js.consumer_info("PQ_BARS", "query-bars")
        if info.num_pending == 0 and info.num_ack_pending == 0:
            break
        await asyncio.sleep(0.02)
    took = time.perf_counter() - started
    await nc.close()
    return CHUNKS * 1000 / took


def _healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://{LOOPBACK}:{port}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def run() -> list[BenchRow]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        r1 = _measure(folder, "r1", {})
        r3 = _measure(folder, "r3", nats_cluster_env())
        shards = _measure(folder, "shards", {"PQ_REPLICAS": "ingest-stream=2"})
        one = _projection(folder / "p1", 1)
        two = _projection(folder / "p2", 2)
    return [
        BenchRow("live quotes/s ingest-stream -> bar-builder -> query, R3", r3["pipeline"],
                 "quotes/s", "same, R1", r1["pipeline"]),
        BenchRow("quotes/s stored in PQ_QUOTES during the flow, R3", r3["ingest"],
                 "quotes/s", "same, R1", r1["ingest"]),
        BenchRow("history sync 5,000 1h bars, R3", r3["sync"], "bars/s", "same, R1", r1["sync"]),
        BenchRow("quotes/s stored, 2 ingest-stream shards", shards["ingest"], "quotes/s",
                 "1 shard", r1["ingest"]),
        BenchRow("live pipeline quotes/s, 2 ingest-stream shards", shards["pipeline"],
                 "quotes/s", "1 shard", r1["pipeline"]),
        BenchRow("query projection, 2 processes (BarSynced 1000 bars/msg)", two, "bars/s",
                 "1 process", one),
    ]  # fmt: skip
