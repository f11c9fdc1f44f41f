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

The parts live in `bench/bar_builder/`; this module runs them in order and builds the rows.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.bar_builder.in_process import in_process, raw_consume, sourced
from bench.bar_builder.latency import latency
from bench.bar_builder.processes import instances
from bench.bar_builder.workload import ROUNDS, START_MS, SYMBOLS, publish, quotes
from bench.harness import BenchRow
from pq_bar_builder.adapters.partitioned_stream import PartitionedStream
from pq_launcher.servers import start_nats_on_free_ports
from pq_runtime.messaging import connect_nats, ensure_topology


async def run() -> list[BenchRow]:
    with tempfile.TemporaryDirectory(prefix="pq-bench-bar-builder-") as tmp:
        folder = Path(tmp)
        server = start_nats_on_free_ports(folder / "nats")
        try:
            nc = await connect_nats(server.url, name="bench")
            await ensure_topology(nc.jetstream())
            plain = await publish(nc, [q for r in quotes("P", SYMBOLS, 100, START_MS) for q in r])
            await PartitionedStream(8).ensure(nc.jetstream())
            backlog = [q for r in quotes("S", SYMBOLS, ROUNDS, START_MS) for q in r]
            sourcing = await publish(nc, backlog)
            total = len(backlog) + SYMBOLS * 100  # the plain publishes were sourced too
            await sourced(nc, total)
            raw = await raw_consume(nc, total)
            service = await in_process(server.url, folder / "one", total)
            one = await instances(server.url, folder / "proc1", total, 1)
            two = await instances(server.url, folder / "proc2", total, 2)
            p50, p99 = await latency(nc, server.url, folder / "latency", total)
            await nc.close()
        finally:
            server.stop()
    return _rows(
        service=service, raw=raw, p50=p50, p99=p99, one=one, two=two, sourced=sourcing, plain=plain
    )


def _rows(
    *,
    service: float,
    raw: float,
    p50: float,
    p99: float,
    one: float,
    two: float,
    sourced: float,
    plain: float,
) -> list[BenchRow]:
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
