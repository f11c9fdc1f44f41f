"""Gateway overhead: requests/s of authenticated, rate-limited reads through the gateway
beside the same reads on the query service directly, in the same run.

- `GET /v1/symbols` of an empty symbol list, the query service's cheapest answer, so the
  gateway's own work (correlation id, metrics, auth with its key cache, one GCRA EVALSHA
  to Redis, forwarding) weighs as much as it ever can;
- `GET /v1/bars` of 1,000 bars (one BarSynced projected by the query service first), the
  most used read: validation of its query string plus ~60 KB passed through. All 32
  clients read the same page, as clients polling one symbol do; the gateway fetches it
  once for each group of reads that came during the fetch before
  (adapters/read_flights.py) and revalidates its kept copy (adapters/revalidated_reads.py);
- the same bars under a URL per client: no two reads share a fetch, so each costs a
  revalidation round trip (a 304 from the query service) of its own.

Real nats-server and Redis come from pq_launcher; both services run as `python -m`
processes, as they do in the stack, so neither is charged for the other's (or the load
generator's) CPU under one GIL. Runs alternate direct/gateway, best of three each.
Target: overhead <= 30 % for each read.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import httpx

from bench.harness import BenchRow
from pq_domain import Bar, Interval, Symbol
from pq_domain.events import BarSynced
from pq_domain.subjects import bars_synced_subject
from pq_gateway.auth.connection import key_store_at
from pq_gateway.auth.keys import Scope
from pq_gateway.auth.management import create_key
from pq_launcher.ports import free_port
from pq_launcher.servers import start_nats_on_free_ports, start_redis_on_free_ports
from pq_runtime.envelope import Envelope
from pq_runtime.messaging import connect_nats, ensure_topology

CONCURRENCY = 32
ROUNDS = 3
BARS = 1000
BARS_SYMBOL = Symbol("BENCH", "READ")
FIRST_BAR = 1_704_067_200_000
BARS_PATH = f"/v1/bars?symbol=BENCH%3AREAD&interval=1m&limit={BARS}"
# The same 1,000 bars under 32 URLs (a `start` before the first bar): one per client, so
# no two reads share a fetch and each costs the gateway a revalidation of its own.
OWN_PAGES = tuple(f"{BARS_PATH}&start={FIRST_BAR - (i + 1) * 60_000}" for i in range(CONCURRENCY))
# (label, paths the clients take turns over, requests per round): ~60 KB answers make
# /v1/bars rounds shorter.
READS = (
    ("/v1/symbols", ("/v1/symbols",), 3000),
    (f"/v1/bars {BARS} bars", (BARS_PATH,), 1000),
    (f"/v1/bars {BARS} bars, a page per client", OWN_PAGES, 1000),
)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def _service(module: str, env: dict[str, str], port: int, log: Path) -> Iterator[tuple[str, int]]:
    url = f"http://127.0.0.1:{port}"
    with open(log, "wb") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", module],
            env={**os.environ, **env, "PQ_HTTP_PORT": str(port), "PQ_LOG_LEVEL": "WARNING"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_healthy(url, child)
            yield url, child.pid
        finally:
            child.terminate()
            child.wait(timeout=15)


def _wait_healthy(url: str, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"{url} exited with {child.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not healthy within 60 s")


async def _requests_per_s(
    url: str, paths: tuple[str, ...], headers: dict[str, str], count: int
) -> float:
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        remaining = count

        async def worker(path: str) -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                async with session.get(url + path) as answer:
                    await answer.read()
                    if answer.status != 200:
                        raise RuntimeError(f"{url}{path} answered {answer.status}")

        started = time.perf_counter()
        await asyncio.gather(*(worker(paths[i % len(paths)]) for i in range(CONCURRENCY)))
        return count / (time.perf_counter() - started)


async def _admin_key(nats_url: str) -> str:
    async with key_store_at(nats_url) as store:
        _, key = await create_key(store, name="bench", scopes=(Scope.ADMIN,), pepper="")
    return key


async def _publish_bars(nats_url: str) -> None:
    """One BarSynced of BARS 1m bars, for the query service to project before it serves."""
    nc = await connect_nats(nats_url, name="bench-gateway")
    try:
        js = nc.jetstream()
        await ensure_topology(js)
        bars = tuple(
            Bar(1_704_067_200_000 + i * 60_000, 100.0 + i % 7, 108.0, 99.0, 101.0 + i % 5, 10.0 + i)
            for i in range(BARS)
        )
        event = BarSynced("bench", BARS_SYMBOL, Interval.M1, bars)
        env = Envelope.of(event, bars_synced_subject(event.symbol, event.interval))
        await js.publish(env.subject, env.payload, headers=env.headers())
    finally:
        await nc.close()


def _wait_projected(direct: str, path: str = BARS_PATH) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answer = httpx.get(direct + path, timeout=5)
        if answer.status_code == 200 and len(answer.json()["bars"]) == BARS:
            return
        time.sleep(0.2)
    raise RuntimeError(f"the query service did not project {BARS} bars within 60 s")


async def _measure(
    direct: str, gateway: str, key: str, paths: tuple[str, ...], count: int
) -> tuple[float, float]:
    auth = {"Authorization": f"Bearer {key}"}
    await _requests_per_s(direct, paths, {}, 300)  # warm both (connections, caches)
    await _requests_per_s(gateway, paths, auth, 300)
    best_direct = best_gateway = 0.0
    for _ in range(ROUNDS):
        best_direct = max(best_direct, await _requests_per_s(direct, paths, {}, count))
        best_gateway = max(best_gateway, await _requests_per_s(gateway, paths, auth, count))
    return best_direct, best_gateway


def _cpu_per_request(
    gateway: str, paths: tuple[str, ...], key: str, count: int, pids: tuple[int, int]
) -> tuple[float, float]:
    """(gateway, query) CPU microseconds per request, over requests through the gateway."""
    auth = {"Authorization": f"Bearer {key}"}
    asyncio.run(_requests_per_s(gateway, paths, auth, 300))  # warm
    before = [cpu_seconds(pid) for pid in pids]
    asyncio.run(_requests_per_s(gateway, paths, auth, count))
    after = [cpu_seconds(pid) for pid in pids]
    gateway_us, query_us = (1e6 * (a - b) / count for a, b in zip(after, before, strict=True))
    return gateway_us, query_us


def _row(label: str, direct_rps: float, gateway_rps: float, cpu: tuple[float, float]) -> BenchRow:
    overhead = 100.0 * (1 - gateway_rps / direct_rps)
    print(f"   {label}: gateway overhead {overhead:.1f} % (target <= 30 %); CPU/request via "
          f"gateway: gateway {cpu[0]:.0f} us, query {cpu[1]:.0f} us")  # fmt: skip
    return BenchRow(
        name=f"gateway GET {label} (API key + rate limit), c={CONCURRENCY}",
        value=gateway_rps,
        unit="req/s",
        baseline_name="query service directly",
        baseline_value=direct_rps,
        target=">= 0.70 (overhead <= 30 %)",
    )


def run() -> list[BenchRow]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="pq-bench-gateway-") as tmp:
        root = Path(tmp)
        nats = start_nats_on_free_ports(root / "nats")
        redis = start_redis_on_free_ports(root / "redis")
        try:
            key = asyncio.run(_admin_key(nats.url))
            asyncio.run(_publish_bars(nats.url))
            shared = {"PQ_NATS_URL": nats.url, "PQ_REDIS_URL": redis.url}
            query_env = {**shared, "PQ_STORE_URL": f"sqlite:///{root / 'query.db'}"}
            with _service("pq_query", query_env, free_port(), root / "query.log") as (
                direct,
                query_pid,
            ):
                _wait_projected(direct)
                gateway_env = {
                    **shared,
                    "PQ_QUERY_URL": direct,
                    "PQ_RATE_LIMIT_READS": "100000000/60",  # limited (checked), never refused
                    "PQ_WEBHOOKS_ENABLED": "false",
                }
                port = free_port()
                gateway_env["PQ_GATEWAY_PORT"] = str(port)
                with _service("pq_gateway", gateway_env, port, root / "gateway.log") as (
                    gateway,
                    gateway_pid,
                ):
                    for label, paths, count in READS:
                        cpu = _cpu_per_request(gateway, paths, key, count, (gateway_pid, query_pid))
                        direct_rps, gateway_rps = asyncio.run(
                            _measure(direct, gateway, key, paths, count)
                        )
                        rows.append(_row(label, direct_rps, gateway_rps, cpu))
        finally:
            redis.stop()
            nats.stop()
    return rows
