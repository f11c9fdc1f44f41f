"""PartitionLeases against an in-memory bucket (tests/integration/bar_builder has the real KV)."""

from __future__ import annotations

from typing import Any

from pq_bar_builder.handlers.ownership.leases import PartitionLeases
from pq_bar_builder.model.lease_plan import acquisition_order, fair_share, release_order

from .fakes import FakeClock, MemoryLeaseBucket, RecordingSupervisor

TTL, RENEW, P = 10.0, 3.0, 8


def instance(
    bucket: MemoryLeaseBucket, clock: FakeClock, name: str
) -> tuple[PartitionLeases, RecordingSupervisor]:
    supervisor = RecordingSupervisor()
    sup: Any = supervisor  # the double stands in for PartitionSupervisor
    leases = PartitionLeases(bucket, sup, P, name, ttl_s=TTL, renew_s=RENEW, clock=clock)
    return leases, supervisor


def owners(*supervisors: RecordingSupervisor) -> list[int]:
    return sorted(p for s in supervisors for p in s.running)


async def rounds(clock: FakeClock, *leases: PartitionLeases, n: int = 3) -> None:
    for _ in range(n):
        for lease in leases:
            await lease.round()
        clock.now += RENEW


def test_fair_share_and_orders() -> None:
    assert [fair_share(8, n) for n in (0, 1, 2, 3, 8, 9)] == [8, 8, 4, 3, 1, 1]
    order = acquisition_order(8, "a")
    assert sorted(order) == list(range(8))
    assert release_order([order[0], order[5], order[2]], 8, "a") == [order[5], order[2], order[0]]


async def test_a_lone_instance_runs_every_partition() -> None:
    clock = FakeClock()
    bucket = MemoryLeaseBucket(clock, TTL)
    a, sup_a = instance(bucket, clock, "a")
    await a.round()
    assert sup_a.owned() == list(range(P))
    assert all(bucket.holder(p) == b"a" for p in range(P))
    revision = int(sup_a.running[0].split(":")[1])
    assert sup_a.running[0] == f"a:{revision}"  # the fence names holder and revision


async def test_two_instances_split_the_partitions_exactly() -> None:
    clock = FakeClock()
    bucket = MemoryLeaseBucket(clock, TTL)
    a, sup_a = instance(bucket, clock, "a")
    b, sup_b = instance(bucket, clock, "b")
    await a.round()
    await rounds(clock, b, a)
    assert len(sup_a.running) == len(sup_b.running) == 4
    assert owners(sup_a, sup_b) == list(range(P))  # each partition run by exactly one


async def test_a_dead_instances_partitions_move_after_the_ttl() -> None:
    clock = FakeClock()
    bucket = MemoryLeaseBucket(clock, TTL)
    a, sup_a = instance(bucket, clock, "a")
    b, sup_b = instance(bucket, clock, "b")
    await rounds(clock, a, b)
    moved = set(sup_b.running)
    clock.now += 1.0
    await a.round()  # b is dead from here on: it renews nothing
    assert set(sup_a.running).isdisjoint(moved)  # not before its leases expire
    await rounds(clock, a, n=4)  # 12 s > TTL
    assert sup_a.owned() == list(range(P))


async def test_a_taken_lease_stops_its_worker() -> None:
    clock = FakeClock()
    bucket = MemoryLeaseBucket(clock, TTL)
    a, sup_a = instance(bucket, clock, "a")
    await a.round()
    await bucket.delete("partition.3", 0)
    await bucket.create("partition.3", b"intruder")
    await a.round()
    assert 3 in sup_a.dropped
    assert 3 not in sup_a.running


async def test_a_restarted_instance_adopts_its_own_leases_at_once() -> None:
    clock = FakeClock()
    bucket = MemoryLeaseBucket(clock, TTL)
    old, _ = instance(bucket, clock, "pod-0")
    await old.round()
    new, sup_new = instance(bucket, clock, "pod-0")  # same id, no memory of the leases
    await new.round()
    assert sup_new.owned() == list(range(P))
    assert old.held[0].revision < new.held[0].revision  # a newer fence


async def test_release_all_frees_the_leases_for_others() -> None:
    clock = FakeClock()
    bucket = MemoryLeaseBucket(clock, TTL)
    a, sup_a = instance(bucket, clock, "a")
    b, sup_b = instance(bucket, clock, "b")
    await rounds(clock, a, b)
    await b.release_all()
    assert not sup_b.running
    await rounds(clock, a, n=1)
    assert sup_a.owned() == list(range(P))
