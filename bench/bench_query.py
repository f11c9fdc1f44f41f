"""Query service: GET /v1/bars of 1,000 bars over HTTP beside the same read on the store,
and projection throughput beside the raw JetStream consume rate, same servers, same run.

- api: in-process uvicorn on a free port, one keep-alive httpx client, sequential requests
  (hot-range cache on, so after the first request pages come from Redis; and cache off);
- store: the read-model reader's `bars(...)` for the same 1,000 rows (no HTTP, no JSON);
- projection: 60 BarSynced chunks of 1,000 bars through the durable consumer (decode,
  reconcile, upsert, coverage, inbox, commit, ack) beside a bare fetch+ack of the same
  messages on an ephemeral consumer.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import uvicorn
from nats.js.api import AckPolicy, ConsumerConfig

from bench.harness import BenchRow
from pq_domain import Bar, Interval, Symbol
from pq_domain.events import BarSynced
from pq_domain.subjects import bars_synced_subject
from pq_launcher.ports import free_port
from pq_launcher.servers import start_nats_on_free_ports, start_redis_on_free_ports
from pq_query.main import create_app
from pq_query.resources import QueryResources
from pq_query.settings import QuerySettings
from pq_runtime.envelope import Envelope
from pq_runtime.messaging import connect_nats, ensure_topology

REQUESTS = 400
PAGE = 1000
CHUNKS = 60
T0 = 1_704_067_200_000


def _bars(count: int, start: int) -> list[Bar]:
    return [
        Bar(start + i * 60_000, 100.0 + i % 7, 108.0, 99.0, 101.0 + i % 5, 10.0 + i)
        for i in range(count)
    ]


async def _latencies(n: int, call: Callable[[], Awaitable[object]]) -> list[float]:
    for _ in range(20):
        await call()  # warm up (and fill the cache)
    out = []
    for _ in range(n):
        started = time.perf_counter()
        await call()
        out.append(time.perf_counter() - started)
    return out


def _rows(name: str, api: list[float], store: list[float]) -> list[BenchRow]:
    def pct(xs: list[float], q: int) -> float:
        return float(statistics.quantiles(xs, n=100)[q - 1]) * 1000

    return [
        BenchRow(f"query GET /v1/bars 1000 bars ({name})", len(api) / sum(api), "req/s",
                 "direct store read", len(store) / sum(store)),
        BenchRow(f"query {name} p50", pct(api, 50), "ms", "store p50", pct(store, 50),
                 higher_is_better=False),
        BenchRow(f"query {name} p99", pct(api, 99), "ms", "store p99", pct(store, 99),
                 higher_is_better=False),
    ]  # fmt: skip


async def _serve(
    settings: QuerySettings,
) -> tuple[uvicorn.Server, asyncio.Task[None], QueryResources]:
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=settings.http_port, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.05)
    resources: QueryResources = app.state.resources
    return server, task, resources


async def _measure(folder: Path, nats_url: str, redis_url: str, cache: bool) -> list[BenchRow]:
    settings = QuerySettings(
        nats_url=nats_url, redis_url=redis_url, data_dir=folder, http_port=free_port(),
        log_level="WARNING", cache_enabled=cache,
    )  # fmt: skip
    server, task, resources = await _serve(settings)
    reader = resources.live.current.reader
    params: dict[str, str | int] = {"symbol": "BENCH:READ", "interval": "1m", "limit": PAGE}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{settings.http_port}") as client:
        first = await client.get("/v1/bars", params=params)
        assert len(first.json()["bars"]) == PAGE

        async def api() -> None:
            # The body is not parsed here: the client's JSON decoding is not the service's.
            answer = await client.get("/v1/bars", params=params)
            assert answer.status_code == 200
            assert len(answer.content) == len(first.content)

        async def store() -> None:
            assert len(await reader.bars("BENCH:READ", "1m", None, None, True, PAGE)) == PAGE

        api_times = await _latencies(REQUESTS, api)
        store_times = await _latencies(REQUESTS, store)
    server.should_exit = True
    await task
    return _rows("cache on" if cache else "cache off", api_times, store_times)


async def _projection(folder: Path, nats_url: str, redis_url: str) -> list[BenchRow]:
    nc = await connect_nats(nats_url, name="bench")
    js = nc.jetstream(publish_async_max_pending=10_000)
    await ensure_topology(js)
    read_symbol = Symbol("BENCH", "READ")
    # The page that the read benchmark reads, plus the projection load.
    chunks = [BarSynced("read", read_symbol, Interval.M1, tuple(_bars(PAGE, T0)))]
    symbol = Symbol("BENCH", "LOAD")
    chunks += [
        BarSynced("load", symbol, Interval.M1, tuple(_bars(1000, T0 + k * 60_000_000)), k, CHUNKS)
        for k in range(CHUNKS)
    ]
    for event in chunks:
        env = Envelope.of(event, bars_synced_subject(event.symbol, event.interval))
        await js.publish(env.subject, env.payload, headers=env.headers())

    settings = QuerySettings(
        nats_url=nats_url, redis_url=redis_url, data_dir=folder, http_port=free_port(),
        log_level="WARNING",
    )  # fmt: skip
    started = time.perf_counter()
    server, task, _ = await _serve(settings)
    while True:
        info = await js.consumer_info("PQ_BARS", "query-bars")
        if info.num_pending == 0 and info.num_ack_pending == 0:
            break
        await asyncio.sleep(0.02)
    projected = (CHUNKS + 1) * 1000 / (time.perf_counter() - started)
    server.should_exit = True
    await task

    config = ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, max_ack_pending=-1)
    sub = await js.pull_subscribe("pq.bars.synced.>", stream="PQ_BARS", config=config)
    started, seen = time.perf_counter(), 0
    while seen < len(chunks):
        msgs = await sub.fetch(200, timeout=5)
        for m in msgs:
            await m.ack()
        seen += len(msgs)
    raw = seen * 1000 / (time.perf_counter() - started)
    await nc.close()
    return [
        BenchRow("query projection (BarSynced, 1000 bars/msg)", projected, "bars/s",
                 "raw JetStream fetch+ack", raw),
    ]  # fmt: skip


async def run() -> list[BenchRow]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        nats = start_nats_on_free_ports(folder / "nats")
        redis = start_redis_on_free_ports(folder / "redis")
        try:
            rows = await _projection(folder, nats.url, redis.url)
            rows += await _measure(folder, nats.url, redis.url, cache=True)
            rows += await _measure(folder, nats.url, redis.url, cache=False)
        finally:
            redis.stop()
            nats.stop()
    return rows
