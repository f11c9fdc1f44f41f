"""bar-builder throughput and latency, each beside a baseline measured in the same run.

- throughput: quotes/s through the whole service (PQ_QUOTES -> partitioned stream ->
  8 partition workers -> all eight intervals -> SQLite state + outbox -> relay ->
  PQ_BARS), in process, from a backlog, beside the raw JetStream consume-and-ack rate of
  the same messages (one pull consumer, fetch(500) + ack per message: issue 6's baseline);
- latency: publish of the quote that closes a 1m bar (event time past end + grace) ->
  its BarCompleted received on NATS, at a steady 500 quotes/s, the service in its own
  process; that is the part after grace, so the target p99 <= grace + 100 ms means
  <= 100 ms here;
- 1 vs 2 instances (static halves of the partitions, separate processes, one SQLite file)
  on the same backlog: partitioning spreads the work (2 shared cores: not linear);
- the cost of the partitioned stream for producers: publish rate into PQ_QUOTES with and
  without the sourcing stream (every quote is stored twice, fsync'd).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig

from bench.harness import BenchRow
from pq_bar_builder.bootstrap import running_service
from pq_bar_builder.partitioning.stream import PARTITIONED_STREAM, PartitionedStream
from pq_bar_builder.settings import BarBuilderSettings
from pq_domain import Symbol
from pq_domain.events import QuoteReceived
from pq_domain.subjects import quotes_subject
from pq_launcher.ports import free_port
from pq_launcher.servers import start_nats_on_free_ports
from pq_runtime.envelope import Envelope
from pq_runtime.messaging import connect_nats, ensure_topology

SYMBOLS, ROUNDS = 50, 600  # 30,000 quotes of backlog, 10 minutes of event time per symbol
START_MS = 1_704_067_200_000
GRACE_MS = 2_000
BARS = {"grace_ms": GRACE_MS, "lateness_ms": 60_000, "idle_timeout_ms": 3_600_000}
ROOT = Path(__file__).resolve().parents[1]


def _quotes(prefix: str, n_symbols: int, rounds: int, t0: int) -> list[list[QuoteReceived]]:
    """Rounds of one quote per symbol; event time +1 s per round."""
    syms = [Symbol("BENCH", f"{prefix}{i:03d}") for i in range(n_symbols)]
    return [
        [QuoteReceived(s, 100.0 + k % 13 / 10, float(k * 10), t0 + k * 1000) for s in syms]
        for k in range(rounds)
    ]


async def _publish(nc: Client, quotes: list[QuoteReceived]) -> float:
    js = nc.jetstream(publish_async_max_pending=20_000)
    started = time.perf_counter()
    futures = []
    for q in quotes:
        e = Envelope.of(q, quotes_subject(q.symbol))
        futures.append(await js.publish_async(e.subject, e.payload, headers=e.headers()))
    await asyncio.gather(*futures)
    return len(quotes) / (time.perf_counter() - started)


async def _until(probe: Callable[[], Awaitable[bool]], interval: float = 0.01) -> None:
    while True:
        if await probe():
            return
        await asyncio.sleep(interval)


async def _sourced(nc: Client, count: int) -> None:
    async def probe() -> bool:
        return (await nc.jetstream().stream_info(PARTITIONED_STREAM)).state.messages >= count

    await _until(probe)


async def _raw_consume(nc: Client, count: int) -> float:
    js = nc.jetstream()
    config = ConsumerConfig(durable_name="bench-raw", ack_policy=AckPolicy.EXPLICIT)
    sub = await js.pull_subscribe(
        "pq.qp.>", durable="bench-raw", stream=PARTITIONED_STREAM, config=config
    )
    got, started = 0, time.perf_counter()
    while got < count:
        msgs: list[Msg] = await sub.fetch(500, timeout=5)
        for m in msgs:
            await m.ack()
        got += len(msgs)
    rate = got / (time.perf_counter() - started)
    await sub.unsubscribe()
    await js.delete_consumer(PARTITIONED_STREAM, "bench-raw")
    return rate


def _settings(url: str, folder: Path, **kw: object) -> BarBuilderSettings:
    values: dict[str, object] = {"nats_url": url, "data_dir": folder, "http_port": 0}
    values.update(partitions=tuple(range(8)), log_level="WARNING", **BARS)
    values.update(kw)
    return BarBuilderSettings(**values)  # type: ignore[arg-type]


async def _in_process(url: str, folder: Path, count: int) -> float:
    """quotes/s of one in-process service from a backlog, until its outbox is drained."""
    async with running_service(_settings(url, folder)) as svc:
        started = time.perf_counter()

        async def drained() -> bool:
            applied = svc.registry.get_sample_value("pq_bar_builder_quotes_total") or 0
            return applied >= count and not (await svc.store.outbox.stats()).pending

        await _until(drained)
        return count / (time.perf_counter() - started)


async def _latency(nc: Client, url: str, folder: Path, backlog: int) -> tuple[float, float]:
    """p50, p99 ms; the service runs in its own process, as beside ingest-stream."""
    procs, ports = _spawn(url, folder, ["0,1,2,3,4,5,6,7"])
    try:
        await _progress(ports, backlog)  # it catches up with the earlier backlog first
        return await _measure_latency(nc)
    finally:
        _stop(procs)


async def _measure_latency(nc: Client) -> tuple[float, float]:
    # 20 symbols, a round every 40 ms: 500 quotes/s, well under what nats-server stores
    # here with fsync per write and the sourcing; event time runs 25x (1 s per round).
    rounds = _quotes("L", 20, 300, START_MS)
    closing: dict[tuple[str, int], float] = {}  # (symbol, bar end) -> publish time
    received: dict[str, float] = {}

    async def note(msg: Msg) -> None:
        received.setdefault((msg.headers or {}).get("Nats-Msg-Id", ""), time.perf_counter())

    sub = await nc.subscribe("pq.bars.completed.>", cb=note)
    js = nc.jetstream(publish_async_max_pending=20_000)
    for quotes in rounds:
        round_started = time.perf_counter()
        for q in quotes:
            e = Envelope.of(q, quotes_subject(q.symbol))
            await js.publish_async(e.subject, e.payload, headers=e.headers())
            t = q.ts - GRACE_MS
            if t % 60_000 == 0 and t > START_MS:
                closing[(str(q.symbol), t)] = time.perf_counter()
        await asyncio.sleep(max(0.0, 0.04 - (time.perf_counter() - round_started)))
    await asyncio.sleep(1.0)
    await sub.unsubscribe()
    samples = []
    for (symbol, end), sent in closing.items():
        got = received.get(f"bar-completed:{symbol}:1m:{end - 60_000}:0")
        if got is not None:
            samples.append((got - sent) * 1000)
    cuts = statistics.quantiles(samples, n=100)
    return cuts[49], cuts[98]


async def _instances(url: str, folder: Path, count: int, halves: int) -> float:
    """quotes/s of `halves` processes splitting the 8 partitions, from first progress."""
    groups = [",".join(str(p) for p in range(8) if p % halves == i) for i in range(halves)]
    procs, ports = _spawn(url, folder, groups)
    try:
        return await _progress(ports, count)
    finally:
        _stop(procs)


def _spawn(
    url: str, folder: Path, groups: list[str]
) -> tuple[list[subprocess.Popen[bytes]], list[int]]:
    ports = [free_port() for _ in groups]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "pq_bar_builder"],
            cwd=ROOT,
            stdout=None if os.environ.get("BENCH_VERBOSE") else subprocess.DEVNULL,
            stderr=None if os.environ.get("BENCH_VERBOSE") else subprocess.DEVNULL,
            env={
                **os.environ,
                "PQ_NATS_URL": url,
                "PQ_DATA_DIR": str(folder),
                "PQ_HTTP_PORT": str(port),
                "PQ_PARTITIONS": group,
                "PQ_LOG_LEVEL": "WARNING",
                "PQ_LOG_JSON": "false",
                **{f"PQ_{k.upper()}": str(v) for k, v in BARS.items()},
            },
        )
        for group, port in zip(groups, ports, strict=True)
    ]
    return procs, ports


async def _progress(ports: list[int], count: int) -> float:
    """Quotes/s applied by the processes on `ports`, from their first progress to `count`."""
    first = last = 0.0
    async with httpx.AsyncClient(timeout=2.0) as client:
        while True:
            done = 0.0
            for port in ports:
                try:
                    text = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
                except httpx.HTTPError:
                    continue
                done += sum(
                    float(line.split()[1])
                    for line in text.splitlines()
                    if line.startswith("pq_bar_builder_quotes_total ")
                )
            now = time.perf_counter()
            if done and not first:
                first = now
            if done >= count:
                last = now
                break
            await asyncio.sleep(0.02)
    return count / (last - first)


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait()


async def run() -> list[BenchRow]:
    with tempfile.TemporaryDirectory(prefix="pq-bench-bar-builder-") as tmp:
        folder = Path(tmp)
        server = start_nats_on_free_ports(folder / "nats")
        try:
            nc = await connect_nats(server.url, name="bench")
            await ensure_topology(nc.jetstream())
            plain = await _publish(nc, [q for r in _quotes("P", SYMBOLS, 100, START_MS) for q in r])
            await PartitionedStream(8).ensure(nc.jetstream())
            backlog = [q for r in _quotes("S", SYMBOLS, ROUNDS, START_MS) for q in r]
            sourced = await _publish(nc, backlog)
            total = len(backlog) + SYMBOLS * 100  # the plain publishes were sourced too
            await _sourced(nc, total)
            raw = await _raw_consume(nc, total)
            service = await _in_process(server.url, folder / "one", total)
            one = await _instances(server.url, folder / "proc1", total, 1)
            two = await _instances(server.url, folder / "proc2", total, 2)
            p50, p99 = await _latency(nc, server.url, folder / "latency", total)
            await nc.close()
        finally:
            server.stop()
    return [
        BenchRow(
            "bar-builder quotes in, 8 intervals, JetStream + outbox",
            service,
            "quotes/s",
            "raw fetch(500) + ack, same messages",
            raw,
            target=">= 0.50",
        ),
        BenchRow(
            "closing quote -> BarCompleted p50 (beyond grace)",
            p50,
            "ms",
            "budget beyond grace",
            100.0,
            higher_is_better=False,
        ),
        BenchRow(
            "closing quote -> BarCompleted p99 (beyond grace)",
            p99,
            "ms",
            "budget beyond grace",
            100.0,
            higher_is_better=False,
            target="<= 1.00",
        ),
        BenchRow("bar-builder, 2 processes", two, "quotes/s", "1 process", one),
        BenchRow(
            "publish into PQ_QUOTES, partitioned stream sourcing it",
            sourced,
            "msgs/s",
            "without the partitioned stream",
            plain,
        ),
    ]
