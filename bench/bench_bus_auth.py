"""The cost of NATS auth on the hot paths: each service path on a server with identities and
subject permissions (connected as its own role), beside the same path on an open server,
same run, same fsync setting (nats-server's default, so the server's share shows).

- ingest-stream: qsd frames -> QuoteReceived -> publish_async, acks per 500
  (bench_ingest_stream's service path), as the `ingest-stream` identity;
- bar-builder: the whole in-process service from a PQ_QUOTES backlog to its outbox drained
  (bench_bar_builder's throughput path), as the `bar-builder` identity.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path

from pydantic import SecretStr

from bench.bar_builder.in_process import settings as bar_builder_settings
from bench.bar_builder.in_process import sourced
from bench.bar_builder.workload import START_MS, SYMBOLS, publish, quotes, until
from bench.bench_ingest_stream import _frames, _service
from bench.bench_outbox import DefaultSyncConfig
from bench.harness import BenchRow
from pq_bar_builder.adapters.partitioned_stream import PartitionedStream
from pq_bar_builder.bootstrap import running_service
from pq_launcher.bus_auth import BusAuth
from pq_launcher.ports import free_port
from pq_launcher.servers import NatsServer
from pq_runtime.bus_identity import NatsIdentity
from pq_runtime.messaging import connect_nats, ensure_topology

QUOTES = 10_000
ROUNDS = 200  # 10,000 quotes of bar-builder backlog
ATTEMPTS = 3


def _server(folder: Path, auth: bool) -> NatsServer:
    config = DefaultSyncConfig(port=free_port(), monitor_port=free_port(), data_dir=folder)
    server = NatsServer(replace(config, auth=BusAuth(folder)) if auth else config)
    server.start()
    return server


def _identity(server: NatsServer, role: str) -> NatsIdentity:
    if server.config.auth is None:
        return NatsIdentity()
    password = server.config.auth.secrets().nats_password(role)
    return NatsIdentity(role, SecretStr(password))


async def _ingest_stream(server: NatsServer) -> float:
    admin = await connect_nats(server.url, name="bench-admin")
    await ensure_topology(admin.jetstream())
    await admin.close()
    plain = server.config.url
    nc = await connect_nats(plain, name="bench", identity=_identity(server, "ingest-stream"))
    symbols, frames = _frames(1_700_000_000, QUOTES // 10)
    await _service(nc.jetstream(), symbols, frames)  # warm-up
    symbols, frames = _frames(1_700_500_000, QUOTES)
    rate = await _service(nc.jetstream(), symbols, frames)
    await nc.close()
    return rate


async def _bar_builder(server: NatsServer, folder: Path) -> float:
    admin = await connect_nats(server.url, name="bench-admin")
    await ensure_topology(admin.jetstream())
    await PartitionedStream(8).ensure(admin.jetstream())
    backlog = [q for r in quotes("A", SYMBOLS, ROUNDS, START_MS) for q in r]
    await publish(admin, backlog)
    await sourced(admin, len(backlog))
    await admin.close()
    identity = _identity(server, "bar-builder")
    config = bar_builder_settings(
        server.config.url, folder, nats_user=identity.user, nats_password=identity.password
    )
    async with running_service(config) as svc:
        started = time.perf_counter()

        async def drained() -> bool:
            applied = svc.registry.get_sample_value("pq_bar_builder_quotes_total") or 0
            return applied >= len(backlog) and not (await svc.store.outbox.stats()).pending

        await until(drained)
        return len(backlog) / (time.perf_counter() - started)


async def run() -> list[BenchRow]:
    rates: dict[tuple[str, bool], float] = {}
    with tempfile.TemporaryDirectory(prefix="pq-bench-bus-auth-") as tmp:
        # Interleaved, best of ATTEMPTS each: a shared machine's load moves between runs.
        for attempt in range(ATTEMPTS):
            for auth in (False, True):
                folder = Path(tmp) / f"{attempt}-{'auth' if auth else 'open'}"
                server = _server(folder / "nats", auth)
                try:
                    for name, rate in (
                        ("ingest-stream", await _ingest_stream(server)),
                        ("bar-builder", await _bar_builder(server, folder / "bb")),
                    ):
                        rates[name, auth] = max(rates.get((name, auth), 0.0), rate)
                finally:
                    server.stop()
    return [
        BenchRow(
            f"{name} quotes/s as its NATS identity (auth + permissions)",
            rates[name, True],
            "quotes/s",
            "same path, open server (no auth), best of 3 each",
            rates[name, False],
            target=">= 0.95",
        )
        for name in ("ingest-stream", "bar-builder")
    ]
