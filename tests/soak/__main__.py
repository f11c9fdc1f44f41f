"""`make soak`: 200 symbols live on the cluster with every service twice, for a bounded time.

    PQ_SOAK_SECONDS=600 (default) PQ_SOAK_SPEED=10 .venv/bin/python -m tests.soak

The stack: PQ_NATS_CLUSTER=3, PQ_REPLICAS=<every service>=2, free ports, a temporary data
folder. 200 symbols (10 shipped crypto and FX, 190 synthetic 24x7 coins) are put on the
watchlist; then, every 15 s, the pipeline's lag is sampled (messages each durable
consumer has still to deliver or ack, the oldest unsent outbox row). Memory per process
is read from /proc after the first quotes and at the end. Then the flow stops and the
audit of tests/support/live_audit.py compares the read model with the reference from
the raw quotes and the simulator's history. Exit status 0 when it finds nothing.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx
import nats

from tests.resilience.cluster.conftest import cluster_overrides
from tests.soak.process_memory import stack_memory
from tests.support.live_audit import audit_quiet_stack
from tests.support.live_flow import live_overrides, subscribe, unsubscribe, wait_quotes_past
from tests.support.sim_universe import write_universe
from tests.support.stack_probe import consumers_behind, oldest_unsent_age
from tests.support.stack_runner import E2eStack, start_stack

SHIPPED = (
    "BINANCE:BTCUSDT", "BINANCE:ETHUSDT", "BINANCE:SOLUSDT", "BINANCE:XRPUSDT",
    "BINANCE:PEPEUSDT", "FX:EURUSD", "FX:GBPUSD", "FX:USDJPY", "FX:AUDUSD", "OANDA:XAUUSD",
)  # fmt: skip
SYNTHETIC = 190
SAMPLE_EVERY_S = 15.0
SOAK_ENV = {
    # Steady state is the point: no initial backfill of 200 new symbols (600 syncs).
    "PQ_INITIAL_BACKFILL_S": "0",
    "PQ_BACKFILL_INTERVALS": "1m,5m,15m",
    "PQ_BACKFILL_RATE_PER_S": "50",
    "PQ_BACKFILL_BURST": "300",
    "PQ_RATE_LIMIT_READS": "100000/60",
}


async def _behind(stack: E2eStack) -> dict[str, int]:
    """Messages still to deliver or ack, per stream (PQ_CMD: commands queued)."""
    nc = await nats.connect(stack.nats_urls, connect_timeout=5)
    try:
        behind = await consumers_behind(nc)
    finally:
        await nc.close()
    per_stream: dict[str, int] = {}
    for key, value in behind.items():
        stream = key.split("/")[0].split(" ")[0]
        count = sum(value) if isinstance(value, tuple) else int(value)
        per_stream[stream] = max(per_stream.get(stream, 0), count)
    return per_stream


def _table(start: dict[str, float], end: dict[str, float]) -> str:
    lines = [f"  {'process':<18} {'start MiB':>10} {'end MiB':>10} {'change':>8}"]
    for name in start:
        before, after = start[name], end.get(name, float("nan"))
        lines.append(f"  {name:<18} {before:>10.1f} {after:>10.1f} {after - before:>+8.1f}")
    return "\n".join(lines)


def soak(folder: Path, seconds: float, speed: float) -> int:
    universe = folder / "universe.json"
    symbols = write_universe(universe, SHIPPED, SYNTHETIC, tick_rate=8)
    span = timedelta(seconds=seconds * speed + 3600)
    env = live_overrides(speed, span, PQ_TVSIM_UNIVERSE=str(universe), **cluster_overrides())
    stack = start_stack(folder / "pq", ready_timeout=240.0, **(env | SOAK_ENV))
    try:
        with httpx.Client(
            base_url=stack.gateway_url, headers=stack.auth_headers(), timeout=60
        ) as c:
            subscribe(c, symbols)
            wait_quotes_past(c, symbols, 0, 180, "first quotes of every symbol")
            memory_start = stack_memory(stack.data_dir)
            began = time.monotonic()
            lag: dict[str, int] = {}
            outbox = 0.0
            while time.monotonic() - began < seconds:
                time.sleep(min(SAMPLE_EVERY_S, max(0.0, seconds - (time.monotonic() - began))))
                for stream, count in asyncio.run(_behind(stack)).items():
                    lag[stream] = max(lag.get(stream, 0), count)
                outbox = max(outbox, oldest_unsent_age(stack))
            memory_end = stack_memory(stack.data_dir)
            unsubscribe(c, symbols)
            run = audit_quiet_stack(stack, c, symbols, quiet_within=300)
        problems = run.audit.problems(symbols, covered=("1m", "5m"))
        print(f"soak: {len(symbols)} symbols for {seconds:.0f}s at {speed:g}x on 3 NATS nodes, "
              f"every service twice")  # fmt: skip
        print(f"  {run.audit.summary()}; {run.audit.quotes / seconds:.0f} quotes/s")
        worst = ", ".join(f"{k} {v}" for k, v in sorted(lag.items())) or "none"
        print(f"  lag (most messages behind per stream, sampled every {SAMPLE_EVERY_S:.0f}s): "
              f"{worst}; oldest unsent outbox row {outbox:.1f}s; drained "
              f"{run.quiet_s:.0f}s after the flow stopped")  # fmt: skip
        print("  memory (RSS):\n" + _table(memory_start, memory_end))
        print(f"  audit: {'bars equal to the reference' if not problems else 'PROBLEMS'}")
        for problem in problems:
            print(f"    {problem}")
        return 1 if problems else 0
    finally:
        stack.stop()


def main() -> int:
    seconds = float(os.environ.get("PQ_SOAK_SECONDS", "600"))
    speed = float(os.environ.get("PQ_SOAK_SPEED", "10"))
    with tempfile.TemporaryDirectory(prefix="pq-soak-") as tmp:
        return soak(Path(tmp), seconds, speed)


if __name__ == "__main__":
    sys.exit(main())
