"""Gateway overhead: requests/s of a cheap authenticated, rate-limited read through the
gateway beside the same read on the query service directly, in the same run.

The read is `GET /v1/symbols` (an empty read model: the query service's cheapest answer),
so the gateway's own work (correlation id, metrics, auth with its key cache, one GCRA
EVALSHA to Redis, forwarding) weighs as much as it ever can. Real nats-server and Redis
come from pq_launcher; both services run as `python -m` processes, as they do in the
stack, so neither is charged for the other's (or the load generator's) CPU under one GIL.
Runs alternate direct/gateway, best of three each. Target: overhead <= 30 %.
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
from pq_gateway.auth.connection import key_store_at
from pq_gateway.auth.keys import Scope
from pq_gateway.auth.management import create_key
from pq_launcher.ports import free_port
from pq_launcher.servers import start_nats_on_free_ports, start_redis_on_free_ports

REQUESTS = 3000
CONCURRENCY = 32
ROUNDS = 3
PATH = "/v1/symbols"


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


async def _requests_per_s(url: str, headers: dict[str, str], count: int) -> float:
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        remaining = count

        async def worker() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                async with session.get(url + PATH) as answer:
                    await answer.read()
                    if answer.status != 200:
                        raise RuntimeError(f"{url}{PATH} answered {answer.status}")

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        return count / (time.perf_counter() - started)


async def _admin_key(nats_url: str) -> str:
    async with key_store_at(nats_url) as store:
        _, key = await create_key(store, name="bench", scopes=(Scope.ADMIN,), pepper="")
    return key


async def _measure(direct: str, gateway: str, key: str) -> tuple[float, float]:
    auth = {"Authorization": f"Bearer {key}"}
    await _requests_per_s(direct, {}, 300)  # warm both (connections, caches, JIT-free paths)
    await _requests_per_s(gateway, auth, 300)
    best_direct = best_gateway = 0.0
    for _ in range(ROUNDS):
        best_direct = max(best_direct, await _requests_per_s(direct, {}, REQUESTS))
        best_gateway = max(best_gateway, await _requests_per_s(gateway, auth, REQUESTS))
    return best_direct, best_gateway


def _cpu_per_request(
    gateway: str, key: str, gateway_pid: int, query_pid: int
) -> tuple[float, float]:
    """(gateway, query) CPU microseconds per request, over requests through the gateway."""
    auth = {"Authorization": f"Bearer {key}"}
    asyncio.run(_requests_per_s(gateway, auth, 300))  # warm
    before = cpu_seconds(gateway_pid), cpu_seconds(query_pid)
    asyncio.run(_requests_per_s(gateway, auth, REQUESTS))
    after = cpu_seconds(gateway_pid), cpu_seconds(query_pid)
    gateway_us, query_us = (1e6 * (a - b) / REQUESTS for a, b in zip(after, before, strict=True))
    return gateway_us, query_us


def run() -> list[BenchRow]:
    with tempfile.TemporaryDirectory(prefix="pq-bench-gateway-") as tmp:
        root = Path(tmp)
        nats = start_nats_on_free_ports(root / "nats")
        redis = start_redis_on_free_ports(root / "redis")
        try:
            key = asyncio.run(_admin_key(nats.url))
            shared = {"PQ_NATS_URL": nats.url, "PQ_REDIS_URL": redis.url}
            query_env = {**shared, "PQ_STORE_URL": f"sqlite:///{root / 'query.db'}"}
            with _service("pq_query", query_env, free_port(), root / "query.log") as (
                direct,
                query_pid,
            ):
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
                    gateway_cpu = _cpu_per_request(gateway, key, gateway_pid, query_pid)
                    direct_rps, gateway_rps = asyncio.run(_measure(direct, gateway, key))
        finally:
            redis.stop()
            nats.stop()
    overhead = 100.0 * (1 - gateway_rps / direct_rps)
    print(f"   gateway overhead: {overhead:.1f} % (target <= 30 %)")
    gateway_us, query_us = gateway_cpu
    print(f"   CPU/request via gateway: gateway {gateway_us:.0f} us, query {query_us:.0f} us")
    return [
        BenchRow(
            name=f"gateway GET {PATH} (API key + rate limit), c={CONCURRENCY}",
            value=gateway_rps,
            unit="req/s",
            baseline_name="query service directly",
            baseline_value=direct_rps,
            target=">= 0.70 (overhead <= 30 %)",
        )
    ]
