"""Done when (a): a producer SIGKILLed after its commit (before the relay publishes) or
after publishing (before marking rows sent): after a restart, the consumer applies every
event exactly once, and the stream holds each once."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest
from nats.aio.client import Client

from pq_launcher.servers import NatsServer
from pq_runtime.messaging import BatchConsumer, OutboxRelay, RelaySettings
from tests.support.stream_reader import msg_ids, read_stream
from tests.support.waiting import wait_for

from ..events import quote_envelope
from ..kill_spec import kill_test_spec
from ..projection import applied_counts, count_applied, open_projection_store
from ..subprocesses import run_until_killed

EVENTS = 200


@pytest.mark.parametrize("crash_at", ["after_commit", "after_publish"])
async def test_exactly_once_after_a_producer_crash(
    crash_at: str, own_nats_server: NatsServer, nc: Client, tmp_path: Path
) -> None:
    db = tmp_path / "producer.db"
    env = {
        "PQ_CRASH_AT": crash_at,
        "PQ_TEST_DB": str(db),
        "PQ_TEST_NATS_URL": own_nats_server.url,
        "PQ_TEST_EVENTS": str(EVENTS),
    }
    assert await run_until_killed("tests.integration.runtime.crash_worker", env) == -signal.SIGKILL
    js = nc.jetstream()
    published_before_restart = len(await read_stream(js, "PQ_QUOTES"))
    assert published_before_restart == (EVENTS if crash_at == "after_publish" else 0)

    # The restart: a relay (new owner; the dead one's 1 s lease runs out) and a consumer.
    store = await open_projection_store(db)
    assert (await store.outbox.stats()).pending == EVENTS  # nothing was marked sent
    relay = OutboxRelay(nc, store.outbox, RelaySettings(poll_interval_s=0.2))
    consumer = BatchConsumer(nc, store, kill_test_spec(), count_applied)
    tasks = [asyncio.create_task(relay.run()), asyncio.create_task(consumer.run())]
    ids = [quote_envelope(i).event_id for i in range(EVENTS)]

    async def all_applied() -> bool:
        return len(await applied_counts(store)) == EVENTS

    async def outbox_drained() -> bool:
        return (await store.outbox.stats()).pending == 0

    await wait_for(all_applied, timeout=20, what="every event applied")
    await wait_for(outbox_drained, timeout=20, what="every row republished and marked sent")
    relay.stop()
    consumer.stop()
    await asyncio.wait_for(asyncio.gather(*tasks), 10)

    assert await applied_counts(store) == dict.fromkeys(ids, 1)
    assert msg_ids(await read_stream(js, "PQ_QUOTES")) == ids  # the republish was deduplicated
    await store.close()
