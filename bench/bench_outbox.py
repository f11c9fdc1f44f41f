"""Outbox relay throughput beside raw pipelined JetStream publishes, same server, same run.

- relay: rows committed beforehand in a SQLite outbox, drained by one OutboxRelay
  (claim with lease, publish_async pipelined, acks awaited together, mark sent);
- raw: the same envelopes (same payload and headers) published with publish_async, acks
  awaited together, nothing else;
- sync cost: raw publishes on a server with `sync_interval: always` (the embedded default)
  beside one with nats-server's default (fsync every 2 minutes).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from nats.aio.client import Client

from bench.harness import BenchRow
from pq_domain.events import QuoteReceived
from pq_domain.subjects import quotes_subject
from pq_domain.symbol import Symbol
from pq_launcher.ports import free_port
from pq_launcher.servers import NatsServer, NatsServerConfig, start_nats_on_free_ports
from pq_runtime.envelope import Envelope
from pq_runtime.messaging import OutboxRelay, RelaySettings, connect_nats, ensure_topology
from pq_runtime.stores.adapters.sqlite import SqliteStore

EVENTS_SYNC_ALWAYS = 10_000
EVENTS_SYNC_DEFAULT = 30_000
SYMBOLS = 50


@dataclass(frozen=True)
class DefaultSyncConfig(NatsServerConfig):
    """The embedded server's config without `sync_interval: always` (nats-server's default)."""

    def render(self) -> str:
        return "".join(
            line + "\n" for line in super().render().splitlines() if "sync_interval" not in line
        )


def _envelopes(n: int) -> list[Envelope]:
    run = uuid.uuid4().hex[:8]  # fresh ids: never dropped by the duplicate window
    symbols = [Symbol("NASDAQ", f"S{k}") for k in range(SYMBOLS)]
    out = []
    for i in range(n):
        s = symbols[i % SYMBOLS]
        q = QuoteReceived(s, 100.0 + i % 100, float(i), 1_700_000_000_000 + i, 99.9, 100.1)
        e = Envelope.of(q, quotes_subject(s), correlation_id=f"{run}-{i}")
        out.append(
            Envelope(
                f"{run}:{e.event_id}",
                e.event_type,
                e.schema_version,
                e.subject,
                e.payload,
                e.correlation_id,
                None,
            )
        )
    return out


async def _raw(nc: Client, envelopes: list[Envelope]) -> float:
    js = nc.jetstream(publish_async_max_pending=100_000)
    started = time.perf_counter()
    futures = [await js.publish_async(e.subject, e.payload, headers=e.headers()) for e in envelopes]
    await asyncio.gather(*futures)
    return len(envelopes) / (time.perf_counter() - started)


async def _relay(nc: Client, envelopes: list[Envelope], folder: Path) -> float:
    store = await SqliteStore.open(folder / f"outbox-{uuid.uuid4().hex[:6]}.db")
    async with store.unit_of_work() as uow:
        for e in envelopes:
            uow.outbox.append(e)
        await uow.commit()
    relay = OutboxRelay(nc, store.outbox, RelaySettings(batch_size=2000))
    started = time.perf_counter()
    failed = 0
    while True:
        sent, fails = await relay.publish_batch()
        failed += fails
        if not sent and not fails:
            break
    elapsed = time.perf_counter() - started
    if failed:
        print(f"   relay: {failed} failed publishes retried", flush=True)
    await store.close()
    return len(envelopes) / elapsed


async def _commits(folder: Path, synchronous: str, per_commit: int, commits: int) -> float:
    """Events/s appended through units of work (writer thread, one hop per commit)."""
    store = await SqliteStore.open(
        folder / f"uow-{uuid.uuid4().hex[:6]}.db", synchronous=synchronous
    )
    envelopes = _envelopes(per_commit * commits)
    started = time.perf_counter()
    for c in range(commits):
        async with store.unit_of_work() as uow:
            for e in envelopes[c * per_commit : (c + 1) * per_commit]:
                uow.outbox.append(e)
            await uow.commit()
    elapsed = time.perf_counter() - started
    await store.close()
    return per_commit * commits / elapsed


async def _measure(server: NatsServer, folder: Path, events: int) -> tuple[float, float]:
    """(raw publishes/s, relay events/s), best of three each, interleaved."""
    nc = await connect_nats(server.url, name="bench")
    await ensure_topology(nc.jetstream())
    await _raw(nc, _envelopes(2_000))  # warm up
    raw, relay = 0.0, 0.0
    for _ in range(3):
        raw = max(raw, await _raw(nc, _envelopes(events)))
        relay = max(relay, await _relay(nc, _envelopes(events), folder))
    await nc.close()
    return raw, relay


async def run() -> list[BenchRow]:
    with tempfile.TemporaryDirectory(prefix="pq-bench-outbox-") as tmp:
        folder = Path(tmp)
        always = start_nats_on_free_ports(folder / "nats-always")
        try:
            raw_always, relay_always = await _measure(always, folder, EVENTS_SYNC_ALWAYS)
        finally:
            always.stop()
        default = NatsServer(
            DefaultSyncConfig(
                port=free_port(), monitor_port=free_port(), data_dir=folder / "nats-default"
            )
        )
        default.start()
        try:
            raw_default, relay_default = await _measure(default, folder, EVENTS_SYNC_DEFAULT)
        finally:
            default.stop()
        one_full = await _commits(folder, "FULL", 1, 1000)
        one_normal = await _commits(folder, "NORMAL", 1, 1000)
        batch_full = await _commits(folder, "FULL", 100, 100)
    return [
        BenchRow(
            "SQLite UoW commit, 1 event, synchronous=FULL",
            one_full,
            "events/s",
            "same, synchronous=NORMAL",
            one_normal,
        ),
        BenchRow(
            "SQLite UoW commit, 100 events, synchronous=FULL",
            batch_full,
            "events/s",
            "1 event per commit, FULL",
            one_full,
        ),
        BenchRow(
            "outbox relay (SQLite -> JetStream, sync always)",
            relay_always,
            "events/s",
            "raw publish_async, same server",
            raw_always,
            target=">= 0.60",
        ),
        BenchRow(
            "outbox relay (SQLite -> JetStream, sync default)",
            relay_default,
            "events/s",
            "raw publish_async, same server",
            raw_default,
            target=">= 0.60",
        ),
        BenchRow(
            "raw publish_async, sync_interval always",
            raw_always,
            "msgs/s",
            "raw publish_async, sync default (2 min)",
            raw_default,
        ),
    ]
