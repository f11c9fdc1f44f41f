"""Publish of the quote that closes a 1m bar -> its BarCompleted received on NATS."""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

from nats.aio.client import Client
from nats.aio.msg import Msg

from pq_domain.subjects import quotes_subject
from pq_runtime.envelope import Envelope

from .processes import progress, spawn, stop
from .workload import GRACE_MS, START_MS, quotes


async def latency(nc: Client, url: str, folder: Path, backlog: int) -> tuple[float, float]:
    """p50, p99 ms; the service runs in its own process, as beside ingest-stream."""
    procs, ports = spawn(url, folder, ["0,1,2,3,4,5,6,7"])
    try:
        await progress(procs, ports, backlog)  # it catches up with the earlier backlog first
        return await measure_latency(nc)
    finally:
        stop(procs)


async def measure_latency(nc: Client) -> tuple[float, float]:
    # 20 symbols, a round every 40 ms: 500 quotes/s, well under what nats-server stores
    # here with fsync per write and the sourcing; event time runs 25x (1 s per round).
    rounds = quotes("L", 20, 300, START_MS)
    closing: dict[tuple[str, int], float] = {}  # (symbol, bar end) -> publish time
    received: dict[str, float] = {}

    async def note(msg: Msg) -> None:
        received.setdefault((msg.headers or {}).get("Nats-Msg-Id", ""), time.perf_counter())

    sub = await nc.subscribe("pq.bars.completed.>", cb=note)
    js = nc.jetstream(publish_async_max_pending=20_000)
    for batch in rounds:
        round_started = time.perf_counter()
        for q in batch:
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
