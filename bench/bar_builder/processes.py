"""The service in its own processes (`python -m pq_bar_builder`), watched via /metrics."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from pq_launcher.ports import free_port

from .workload import BARS

ROOT = Path(__file__).resolve().parents[2]
Procs = list[subprocess.Popen[bytes]]


def spawn(url: str, folder: Path, groups: list[str]) -> tuple[Procs, list[int]]:
    """One process per group of partitions (`PQ_PARTITIONS`), all on one SQLite file."""
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


STALL_S = 60.0  # no new quote applied for this long: the run has failed, say so


async def progress(procs: Procs, ports: list[int], count: int) -> float:
    """Quotes/s applied by the processes on `ports`, from their first progress to `count`."""
    first = last = 0.0
    seen, moved = -1.0, time.monotonic()
    async with httpx.AsyncClient(timeout=2.0) as client:
        while True:
            _check_alive(procs)
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
            if done != seen:
                seen, moved = done, time.monotonic()
            elif time.monotonic() - moved > STALL_S:
                raise TimeoutError(f"bar-builder stalled at {done:.0f}/{count} quotes")
            now = time.perf_counter()
            if done and not first:
                first = now
            if done >= count:
                last = now
                break
            await asyncio.sleep(0.02)
    return count / (last - first)


def _check_alive(procs: Procs) -> None:
    for p in procs:
        if p.poll() is not None:
            code = p.returncode
            raise RuntimeError(f"bar-builder exited with {code}; BENCH_VERBOSE=1 shows why")


def stop(procs: Procs) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


async def instances(url: str, folder: Path, count: int, halves: int) -> float:
    """quotes/s of `halves` processes splitting the 8 partitions, from first progress."""
    groups = [",".join(str(p) for p in range(8) if p % halves == i) for i in range(halves)]
    procs, ports = spawn(url, folder, groups)
    try:
        return await progress(procs, ports, count)
    finally:
        stop(procs)
