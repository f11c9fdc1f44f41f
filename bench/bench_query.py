"""Query service: GET /v1/bars of 1,000 bars over HTTP beside its floors, and projection
throughput beside the raw JetStream consume rate; same servers, same data, same run.

- projection: 200 BarSynced chunks of 1,000 bars published while the service's bars
  consumer is stopped, then timed from the consumer's start until it has applied and
  acked them all (decode, reconcile, upsert, coverage, inbox, commit, ack), beside a
  bare fetch+ack of the same messages on a fresh ephemeral consumer. (Timing from the
  service's start, as before, also counted opening the store, NATS and Redis.)
- api: in-process uvicorn on a free port, sequential requests on one keep-alive
  connection from a minimal HTTP/1.1 client (httpx spent about 1 ms of this process's
  CPU per request, which was charged to the service before), in alternating rounds
  with the baseline so both see the same machine load:
  - cache hit: beside a bare ASGI app on the same server answering with a Redis GET of
    the same page bytes: the floor a cache hit can reach;
  - cache off: beside the read model's `bars(...)` for the same 1,000 rows, no HTTP and
    no JSON (what the store costs, not a floor for an HTTP answer).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import uvicorn
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig
from redis.asyncio import Redis

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

ROUNDS = 5
PER_ROUND = 100  # requests per round and contender
PAGE = 1000
CHUNKS = 200
T0 = 1_704_067_200_000
READ_PATH = f"/v1/bars?symbol=BENCH:READ&interval=1m&limit={PAGE}"
Call = Callable[[], Awaitable[object]]


def _bars(count: int, start: int) -> list[Bar]:
    return [
        Bar(start + i * 60_000, 100.0 + i % 7, 108.0, 99.0, 101.0 + i % 5, 10.0 + i)
        for i in range(count)
    ]


class _HttpClient:
    """GET on one keep-alive HTTP/1.1 connection, reading Content-Length bodies: the least
    a caller can spend per request, so the figures are the server's."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader, self._writer = reader, writer

    @classmethod
    async def connect(cls, port: int) -> _HttpClient:
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def get(self, target: str) -> tuple[int, bytes]:
        self._writer.write(f"GET {target} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
        head = await self._reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        return status, await self._reader.readexactly(length)

    async def close(self) -> None:
        self._writer.close()
        await self._writer.wait_closed()


@asynccontextmanager
async def _served(app: Any, port: int) -> Any:
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        await task


def _redis_get_app(redis: Redis, key: str) -> Any:
    """The floor of a cache hit: one Redis GET, the bytes sent as the service sends them."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = await redis.get(key)
        assert isinstance(body, bytes)
        headers = [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", b"application/json"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


async def _rounds(calls: dict[str, Call]) -> dict[str, list[float]]:
    """Latencies of each call, measured in alternating rounds after a warm-up."""
    out: dict[str, list[float]] = {name: [] for name in calls}
    for call in calls.values():
        for _ in range(20):
            await call()
    for _ in range(ROUNDS):
        for name, call in calls.items():
            times = out[name]
            for _ in range(PER_ROUND):
                started = time.perf_counter()
                await call()
                times.append(time.perf_counter() - started)
    return out


def _pct(xs: list[float], q: int) -> float:
    return float(statistics.quantiles(xs, n=100)[q - 1]) * 1000


def _rows(name: str, api: list[float], base_name: str, base: list[float]) -> list[BenchRow]:
    return [
        BenchRow(f"query GET /v1/bars 1000 bars ({name})", len(api) / sum(api), "req/s",
                 base_name, len(base) / sum(base)),
        BenchRow(f"query {name} p50", _pct(api, 50), "ms", f"{base_name} p50", _pct(base, 50),
                 higher_is_better=False),
        BenchRow(f"query {name} p99", _pct(api, 99), "ms", f"{base_name} p99", _pct(base, 99),
                 higher_is_better=False),
    ]  # fmt: skip


def _settings(folder: Path, nats_url: str, redis_url: str, cache: bool) -> QuerySettings:
    return QuerySettings(
        nats_url=nats_url, redis_url=redis_url, data_dir=folder, http_port=free_port(),
        log_level="WARNING", cache_enabled=cache,
    )  # fmt: skip


async def _checked_get(client: _HttpClient, expected: bytes) -> None:
    status, body = await client.get(READ_PATH)
    assert status == 200
    assert len(body) == len(expected)


async def _cache_hit(folder: Path, nats_url: str, redis_url: str) -> list[BenchRow]:
    settings = _settings(folder, nats_url, redis_url, cache=True)
    app = create_app(settings)
    redis = Redis.from_url(redis_url)
    async with _served(app, settings.http_port):
        client = await _HttpClient.connect(settings.http_port)
        status, page = await client.get(READ_PATH)  # a miss, which fills the cache
        assert status == 200
        assert page.count(b'"t":') == PAGE
        await redis.set("bench:page", page)
        floor_port = free_port()
        async with _served(_redis_get_app(redis, "bench:page"), floor_port):
            floor = await _HttpClient.connect(floor_port)
            times = await _rounds(
                {
                    "api": lambda: _checked_get(client, page),
                    "floor": lambda: _checked_get(floor, page),
                }
            )
            await floor.close()
        await client.close()
    await redis.aclose()
    return _rows("cache hit", times["api"], "bare ASGI app: Redis GET of the page", times["floor"])


async def _cache_off(folder: Path, nats_url: str, redis_url: str) -> list[BenchRow]:
    settings = _settings(folder, nats_url, redis_url, cache=False)
    app = create_app(settings)
    async with _served(app, settings.http_port):
        resources: QueryResources = app.state.resources
        reader = resources.live.current.reader
        client = await _HttpClient.connect(settings.http_port)
        _, page = await client.get(READ_PATH)

        async def store() -> None:
            assert len(await reader.bars("BENCH:READ", "1m", None, None, True, PAGE)) == PAGE

        times = await _rounds({"api": lambda: _checked_get(client, page), "store": store})
        await client.close()
    return _rows("cache off", times["api"], "direct store read (no HTTP, no JSON)", times["store"])


async def _caught_up(js: JetStreamContext) -> None:
    while True:
        info = await js.consumer_info("PQ_BARS", "query-bars")
        if info.num_pending == 0 and info.num_ack_pending == 0:
            return
        await asyncio.sleep(0.01)


async def _projection(folder: Path, nats_url: str, redis_url: str) -> list[BenchRow]:
    nc = await connect_nats(nats_url, name="bench")
    js = nc.jetstream(publish_async_max_pending=10_000)
    await ensure_topology(js)
    settings = _settings(folder, nats_url, redis_url, cache=True)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        resources: QueryResources = app.state.resources
        bars_consumer = resources.consumers["bars"]
        await bars_consumer.stop()
        # The page that the read benchmarks read, then the projection load.
        chunks = [BarSynced("read", Symbol("BENCH", "READ"), Interval.M1, tuple(_bars(PAGE, T0)))]
        symbol = Symbol("BENCH", "LOAD")
        chunks += [
            BarSynced(
                "load", symbol, Interval.M1, tuple(_bars(1000, T0 + k * 60_000_000)), k, CHUNKS
            )
            for k in range(CHUNKS)
        ]
        for event in chunks:
            env = Envelope.of(event, bars_synced_subject(event.symbol, event.interval))
            await js.publish(env.subject, env.payload, headers=env.headers())
        started = time.perf_counter()
        bars_consumer.start()
        await _caught_up(js)
        projected = (CHUNKS + 1) * 1000 / (time.perf_counter() - started)

    config = ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, max_ack_pending=-1)
    started, seen = time.perf_counter(), 0
    sub = await js.pull_subscribe("pq.bars.synced.>", stream="PQ_BARS", config=config)
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
            rows += await _cache_hit(folder, nats.url, redis.url)
            rows += await _cache_off(folder, nats.url, redis.url)
        finally:
            redis.stop()
            nats.stop()
    return rows
