"""Two replicas on one stream share the commands, each done once; schedules fire once per period."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

from nats.aio.client import Client

from pq_domain import Interval, Symbol
from pq_domain.schedule import Schedule
from pq_ingest_history.adapters.schedules_bucket import KvScheduleBucket
from pq_ingest_history.bootstrap import RunningService, running_service
from pq_ingest_history.handlers.scheduler import Scheduler
from pq_ingest_history.settings import IngestHistorySettings
from pq_runtime.messaging import SyncCommandPublisher
from tests.integration.ingest_history.stream_probe import (
    job_events,
    publish_command,
    stored,
    sync_command,
)
from tests.support.waiting import wait_for

SYMBOLS = ["BINANCE:BTCUSDT", "BINANCE:ETHUSDT", "NASDAQ:MSFT", "NYSE:KO", "FX:EURUSD"]


def _jobs_done(service: RunningService) -> float:
    value = service.registry.get_sample_value("pq_sync_jobs_total", {"outcome": "done"})
    return value or 0.0


async def test_two_replicas_share_the_commands_and_do_each_once(
    nc: Client, service_settings: IngestHistorySettings
) -> None:
    js = nc.jetstream()
    commands = [sync_command(f"rep-{i}", SYMBOLS[i % len(SYMBOLS)], 300) for i in range(10)]
    async with running_service(service_settings) as one, running_service(service_settings) as two:
        for command in commands:
            await publish_command(js, command)

        async def all_completed() -> bool:
            events = await job_events(js)
            return sum(e.event_type == "SyncJobCompleted" for e in events) >= len(commands)

        await wait_for(all_completed, timeout=40, what="every job completed")
        shares = (_jobs_done(one), _jobs_done(two))

    events = await job_events(js)
    per_job = Counter((e.data["job_id"], e.event_type) for e in events)
    for command in commands:
        assert per_job[(command.job_id, "SyncJobStarted")] == 1
        assert per_job[(command.job_id, "SyncJobCompleted")] == 1
    assert sum(shares) == len(commands)
    assert min(shares) > 0, f"one replica did all the work: {shares}"
    chunks = await stored(js, "PQ_BARS", "pq.bars.synced.")
    assert sorted(c.data["job_id"] for c in chunks) == sorted(c.job_id for c in commands)


async def test_a_schedule_fires_once_per_period_with_two_schedulers_racing(nc: Client) -> None:
    js = nc.jetstream()
    buckets = [await KvScheduleBucket.open(js), await KvScheduleBucket.open(js)]
    first_due = int(time.time() * 1000)
    schedule = Schedule(Symbol.parse("NYSE:BRK.B"), Interval.H1, 1.0, 24, first_due)
    await buckets[0].put(schedule)
    schedulers = [Scheduler(b, SyncCommandPublisher(js), tick_s=0.02) for b in buckets]
    tasks = [asyncio.create_task(s.run()) for s in schedulers]

    async def three_periods() -> bool:
        return len(await stored(js, "PQ_CMD")) >= 3

    await wait_for(three_periods, timeout=10, what="three periods fired")
    for s in schedulers:
        s.stop()
    await asyncio.gather(*tasks)

    commands = await stored(js, "PQ_CMD")
    job_ids = [c.data["job_id"] for c in commands]
    assert len(set(job_ids)) == len(job_ids)  # each period once
    assert sum(s.fired for s in schedulers) == len(commands)  # one winner per period
    dues = [int(j.rsplit("-", 1)[1]) for j in job_ids]
    assert dues == [first_due + 1000 * i for i in range(len(dues))]  # no period skipped
    assert {c.data["symbol"] for c in commands} == {"NYSE:BRK.B"}
    assert {c.headers["Nats-Msg-Id"] for c in commands} == {f"sync-requested:{j}" for j in job_ids}
    (entry,) = await buckets[0].entries()
    assert entry.schedule.next_due_ms == first_due + 1000 * len(commands)


async def test_a_due_schedule_becomes_a_completed_sync(
    nc: Client, service_settings: IngestHistorySettings
) -> None:
    js = nc.jetstream()
    async with running_service(service_settings):
        bucket = await KvScheduleBucket.open(js)
        now = int(time.time() * 1000)
        await bucket.put(Schedule(Symbol.parse("CME_MINI:ES1!"), Interval.M15, 3600.0, 50, now))

        async def scheduled_job_done() -> list[str]:
            return [
                e.data["job_id"]
                for e in await job_events(js)
                if e.event_type == "SyncJobCompleted" and e.data["bars"] == 50
            ]

        (job_id,) = await wait_for(scheduled_job_done, timeout=15, what="scheduled sync done")
    assert job_id == f"sched-CME_MINI.ES1!.15m-{now}"
