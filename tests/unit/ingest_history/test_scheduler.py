from __future__ import annotations

from dataclasses import dataclass, field

from pq_domain import Interval, Symbol
from pq_domain.events import SyncRequested
from pq_domain.schedule import Schedule
from pq_ingest_history.handlers.scheduler import Scheduler, StoredSchedule


@dataclass
class FakeBucket:
    """One key with a revision; `advance` is a compare-and-set like kv.update(last=...)."""

    schedule: Schedule
    revision: int = 1

    async def entries(self) -> list[StoredSchedule]:
        return [StoredSchedule(self.schedule, self.revision)]

    async def advance(self, stored: StoredSchedule, updated: Schedule) -> bool:
        if stored.revision != self.revision:
            return False
        self.schedule, self.revision = updated, self.revision + 1
        return True


@dataclass
class StaleView:
    """Another replica's view of `bucket`: it read `read` before the winner wrote."""

    bucket: FakeBucket
    read: StoredSchedule

    async def entries(self) -> list[StoredSchedule]:
        return [self.read]

    async def advance(self, stored: StoredSchedule, updated: Schedule) -> bool:
        return await self.bucket.advance(stored, updated)


@dataclass
class Published:
    commands: list[SyncRequested] = field(default_factory=list)

    async def __call__(self, command: SyncRequested) -> None:
        self.commands.append(command)


SCHEDULE = Schedule(Symbol.parse("BINANCE:BTCUSDT"), Interval.M5, 60.0, 10, next_due_ms=1_000)


async def test_a_due_schedule_fires_and_moves_on() -> None:
    bucket, published = FakeBucket(SCHEDULE), Published()
    scheduler = Scheduler(bucket, published, clock=lambda: 1_000)

    assert await scheduler.fire_due() == 1
    assert await scheduler.fire_due() == 0  # next period not due yet

    assert [c.job_id for c in published.commands] == ["sched-BINANCE.BTCUSDT.5m-1000"]
    assert bucket.schedule.next_due_ms == 61_000


async def test_a_replica_reading_a_stale_revision_loses_the_period() -> None:
    bucket, published = FakeBucket(SCHEDULE), Published()
    winner = Scheduler(bucket, published, clock=lambda: 1_000)
    loser = Scheduler(
        StaleView(bucket, StoredSchedule(SCHEDULE, 1)), published, clock=lambda: 1_000
    )

    assert await winner.fire_due() == 1
    assert await loser.fire_due() == 0

    # Both published the same period's command: the stream keeps one (same Nats-Msg-Id).
    assert {c.event_id for c in published.commands} == {
        "sync-requested:sched-BINANCE.BTCUSDT.5m-1000"
    }
    assert bucket.revision == 2
