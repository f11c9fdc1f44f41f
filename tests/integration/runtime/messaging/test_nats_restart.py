"""Done when (b): NATS stopped for 5 s under a steady publish load, then restarted: every
committed event arrives, none twice, and the pull consumer resumes after the restart."""

from __future__ import annotations

import asyncio
from pathlib import Path

from nats.aio.client import Client

from pq_launcher.servers import NatsServer
from pq_runtime.messaging import BatchConsumer, OutboxRelay, RelaySettings
from tests.support.stream_reader import msg_ids, read_stream
from tests.support.waiting import wait_for

from ..events import quote_envelope
from ..kill_spec import kill_test_spec
from ..projection import applied_counts, count_applied, open_projection_store

OUTAGE_S = 5.0
RATE_HZ = 100  # commits per second, one event each


async def test_nats_restart_under_load_loses_and_doubles_nothing(
    own_nats_server: NatsServer, nc: Client, tmp_path: Path
) -> None:
    store = await open_projection_store(tmp_path / "svc.db")
    relay = OutboxRelay(nc, store.outbox, RelaySettings(ack_timeout_s=1.0, backoff_max_s=0.5))
    consumer = BatchConsumer(nc, store, kill_test_spec(), count_applied)
    tasks = [asyncio.create_task(relay.run()), asyncio.create_task(consumer.run())]
    committed: list[str] = []
    producing = True

    async def produce() -> None:
        i = 0
        while producing:
            e = quote_envelope(i, f"NASDAQ:S{i % 7}")
            async with store.unit_of_work() as uow:
                uow.outbox.append(e)
                await uow.commit()
            committed.append(e.event_id)
            i += 1
            await asyncio.sleep(1 / RATE_HZ)

    producer = asyncio.create_task(produce())

    async def applied_at_least(n: int) -> bool:
        return len(await applied_counts(store)) >= n

    await wait_for(lambda: applied_at_least(50), timeout=10, what="flowing before the outage")
    await asyncio.to_thread(own_nats_server.stop)
    during_outage = len(committed)
    await asyncio.sleep(OUTAGE_S)  # the outage itself, while commits go on
    assert len(committed) > during_outage + RATE_HZ  # the load kept coming
    await asyncio.to_thread(own_nats_server.start)
    restarted_with = len(committed)
    # Consumption resumes: events committed after the restart are applied too.
    await wait_for(
        lambda: applied_at_least(restarted_with + 100), timeout=20, what="consuming after restart"
    )
    producing = False
    await producer

    async def all_applied() -> bool:
        return len(await applied_counts(store)) == len(committed)

    await wait_for(all_applied, timeout=20, what="every committed event applied")
    relay.stop()
    consumer.stop()
    await asyncio.wait_for(asyncio.gather(*tasks), 10)

    assert await applied_counts(store) == dict.fromkeys(committed, 1)
    ids = msg_ids(await read_stream(nc.jetstream(), "PQ_QUOTES"))
    assert sorted(ids) == sorted(committed)  # in the stream once each
    await store.close()
