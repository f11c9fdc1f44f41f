"""The outbox relay: publishes committed rows with Nats-Msg-Id, per-key order, no double
publishing across relay instances, prompt wake-up, lag, reconciliation of lost messages."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from nats.aio.client import Client

from pq_runtime.envelope import Envelope
from pq_runtime.messaging import OutboxRelay, RelaySettings, reconcile
from pq_runtime.stores.adapters.sqlite import SqliteStore
from pq_runtime.telemetry import RuntimeMetrics
from tests.support.stream_reader import msg_ids, read_stream
from tests.support.waiting import wait_for

from ..events import quote_envelope


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    s = await SqliteStore.open(tmp_path / "svc.db")
    yield s
    await s.close()


async def _commit(store: SqliteStore, envelopes: list[Envelope]) -> None:
    async with store.unit_of_work() as uow:
        for e in envelopes:
            uow.outbox.append(e)
        await uow.commit()


async def _running(relay: OutboxRelay) -> asyncio.Task[None]:
    return asyncio.create_task(relay.run())


async def _stop(relay: OutboxRelay, task: asyncio.Task[None]) -> None:
    relay.stop()
    await asyncio.wait_for(task, 10)


async def test_relay_publishes_with_the_contract_headers(nc: Client, store: SqliteStore) -> None:
    metrics = RuntimeMetrics()
    relay = OutboxRelay(nc, store.outbox, RelaySettings(poll_interval_s=30.0), metrics=metrics)
    task = await _running(relay)
    envelopes = [quote_envelope(i, s) for i in range(20) for s in ("NASDAQ:AAPL", "NYSE:BRK.B")]
    started = time.monotonic()
    await _commit(store, envelopes)
    await wait_for(lambda: _pending_is(store, 0), timeout=5, what="outbox drained")
    # Woken by the commit, not by the 30 s poll.
    assert time.monotonic() - started < 2.0
    await _stop(relay, task)

    msgs = await read_stream(nc.jetstream(), "PQ_QUOTES")
    assert msg_ids(msgs) == [e.event_id for e in envelopes]
    first = msgs[0].headers or {}
    assert first["Pq-Event-Type"] == "QuoteReceived"
    assert first["Pq-Schema-Version"] == "1"
    assert metrics.registry.get_sample_value(
        "pq_outbox_published_total", {"store": store.outbox.name}
    ) == len(envelopes)


async def _pending_is(store: SqliteStore, n: int) -> bool:
    return (await store.outbox.stats()).pending == n


async def test_two_relays_never_publish_a_row_twice(nc: Client, store: SqliteStore) -> None:
    # More keys than a batch holds, so that both relays find keys the other has not leased.
    symbols = [f"NASDAQ:S{k}" for k in range(100)]
    envelopes = [quote_envelope(i, s) for i in range(20) for s in symbols]
    for i in range(0, len(envelopes), 100):
        await _commit(store, envelopes[i : i + 100])
    settings = RelaySettings(batch_size=50, poll_interval_s=0.2)
    relays = [OutboxRelay(nc, store.outbox, settings, owner=f"r{n}") for n in range(2)]
    tasks = [await _running(r) for r in relays]
    await wait_for(lambda: _pending_is(store, 0), timeout=20, what="outbox drained")
    for r, t in zip(relays, tasks, strict=True):
        await _stop(r, t)

    assert sum(r.published for r in relays) == len(envelopes)
    assert all(r.published > 0 for r in relays)
    ids = msg_ids(await read_stream(nc.jetstream(), "PQ_QUOTES"))
    assert sorted(ids) == sorted(e.event_id for e in envelopes)
    for s in symbols:  # in order per key
        subject = envelopes[symbols.index(s)].subject
        want = [e.event_id for e in envelopes if e.subject == subject]
        assert [i for i in ids if i in set(want)] == want


async def test_reconcile_republishes_messages_the_stream_lost(
    nc: Client, store: SqliteStore
) -> None:
    js = nc.jetstream()
    # A short duplicate window, so that the ids of deleted messages are forgotten in time.
    config = (await js.stream_info("PQ_QUOTES")).config
    await js.update_stream(config, duplicate_window=0.5)
    envelopes = [quote_envelope(i) for i in range(10)]
    await _commit(store, envelopes)
    relay = OutboxRelay(nc, store.outbox)
    assert await relay.publish_batch() == (10, 0)
    for seq in (3, 7):  # as if an OS crash lost acknowledged messages
        await js.delete_msg("PQ_QUOTES", seq)

    first = await reconcile(nc, store.outbox)
    assert (first.checked, first.missing, first.republished + first.deferred) == (10, 2, 2)

    async def republished() -> bool:
        return (await reconcile(nc, store.outbox)).missing == 0

    await wait_for(republished, timeout=10, interval=0.25, what="lost messages republished")
    ids = msg_ids(await read_stream(js, "PQ_QUOTES"))
    assert sorted(ids) == sorted(e.event_id for e in envelopes)
    assert (await reconcile(nc, store.outbox)).missing == 0


async def test_relay_backs_off_while_nats_is_down_and_resumes(
    own_nats_server: object, nc: Client, store: SqliteStore
) -> None:
    from pq_launcher.servers import NatsServer

    assert isinstance(own_nats_server, NatsServer)
    relay = OutboxRelay(nc, store.outbox, RelaySettings(ack_timeout_s=1.0, backoff_max_s=0.5))
    task = await _running(relay)
    await asyncio.to_thread(own_nats_server.stop)
    await _commit(store, [quote_envelope(i) for i in range(5)])
    lag = await relay.lag()
    assert lag.pending == 5
    await asyncio.to_thread(own_nats_server.start)
    await wait_for(lambda: _pending_is(store, 0), timeout=15, what="outbox drained after restart")
    await _stop(relay, task)
    assert len(await read_stream(nc.jetstream(), "PQ_QUOTES")) == 5
