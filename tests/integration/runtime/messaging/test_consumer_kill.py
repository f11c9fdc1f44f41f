"""Done when (d): a consumer SIGKILLed mid-batch; the redelivered messages do not double
any effect (the inbox record commits with the effect, and acks follow the commit)."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Sequence
from pathlib import Path

import pytest
from nats.aio.client import Client

from pq_launcher.servers import NatsServer
from pq_runtime.messaging import BatchConsumer, Delivery
from pq_runtime.stores.adapters.sqlite import SqliteUnitOfWork
from pq_runtime.telemetry import RuntimeMetrics
from tests.support.waiting import wait_for

from ..events import quote_envelope
from ..kill_spec import kill_test_spec
from ..projection import applied_counts, count_applied, open_projection_store
from ..subprocesses import run_until_killed

EVENTS = 100


@pytest.mark.parametrize("crash_at", ["in_handler", "after_commit"])
async def test_redelivery_after_a_consumer_kill_doubles_nothing(
    crash_at: str, own_nats_server: NatsServer, nc: Client, tmp_path: Path
) -> None:
    js = nc.jetstream()
    ids = []
    for i in range(EVENTS):
        e = quote_envelope(i)
        await js.publish(e.subject, e.payload, headers=e.headers())
        ids.append(e.event_id)
    db = tmp_path / "consumer.db"
    env = {
        "PQ_CRASH_AT": crash_at,
        "PQ_CRASH_BATCH": "3",
        "PQ_TEST_DB": str(db),
        "PQ_TEST_NATS_URL": own_nats_server.url,
    }
    code = await run_until_killed("tests.integration.runtime.consumer_worker", env)
    assert code == -signal.SIGKILL

    store = await open_projection_store(db)
    before = await applied_counts(store)
    assert 0 < len(before) < EVENTS  # it died part way
    redelivered: list[str] = []

    async def handler(uow: SqliteUnitOfWork, batch: Sequence[Delivery]) -> None:
        redelivered.extend(d.event_id for d in batch if d.delivered > 1)
        await count_applied(uow, batch)

    metrics = RuntimeMetrics()
    consumer = BatchConsumer(nc, store, kill_test_spec(), handler, metrics=metrics)
    task = asyncio.create_task(consumer.run())

    async def all_applied() -> bool:
        return len(await applied_counts(store)) == EVENTS

    async def all_acked() -> bool:
        info = await js.consumer_info("PQ_QUOTES", "projector")
        return (info.num_pending, info.num_ack_pending) == (0, 0)

    await wait_for(all_applied, timeout=20, what="every event applied after the restart")
    await wait_for(all_acked, timeout=20, what="every message acked, redeliveries included")
    consumer.stop()
    await asyncio.wait_for(task, 5)

    assert await applied_counts(store) == dict.fromkeys(ids, 1)
    if crash_at == "in_handler":  # the dead worker's batch really came back and was applied
        assert redelivered
    else:  # the committed but un-acked batch came back and the inbox skipped it
        skipped = metrics.registry.get_sample_value(
            "pq_consumer_duplicates_total", {"stream": "PQ_QUOTES", "consumer": "projector"}
        )
        assert skipped == kill_test_spec().batch_size
    await store.close()
