"""PartitionLeases: each partition is run by exactly one live instance.

A lease is a key `partition.<p>` in a KV bucket whose entries expire `ttl` after their
last write; the holder renews it (compare-and-set on its revision) every `renew_s`.
Each instance also keeps `instance.<id>` alive, so all can count the live instances and
hold their fair share, ceil(P / live). A new instance makes the others release their
extras (worker stopped after its batch, then the key deleted); a dead instance's keys
expire and are created by the survivors. The fence handed to the worker is
`<id>:<create revision>`: a newer owner's claim in the store makes an old owner's
commits fail, so even a paused, lease-less instance can never write after a takeover.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass

import structlog

from ...model.lease_plan import (
    INSTANCE_PREFIX,
    acquisition_order,
    fair_share,
    instance_key,
    lease_key,
    release_order,
)
from ...ports import LeaseBucket, LeaseTaken
from .supervisor import PartitionSupervisor

log = structlog.get_logger(__name__)


@dataclass(slots=True)
class HeldLease:
    revision: int
    renewed_at: float


class PartitionLeases:
    def __init__(
        self,
        bucket: LeaseBucket,
        supervisor: PartitionSupervisor,
        partition_count: int,
        instance_id: str,
        *,
        ttl_s: float,
        renew_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._bucket = bucket
        self._supervisor = supervisor
        self._count = partition_count
        self.instance_id = instance_id
        self._me = instance_id.encode()
        self._ttl_s = ttl_s
        self._renew_s = renew_s
        self._clock = clock
        self.held: dict[int, HeldLease] = {}
        self._stop = asyncio.Event()

    def stop(self) -> None:
        self._stop.set()

    async def run(self) -> None:
        while not self._stop.is_set():
            try:
                await self.round()
            except Exception as exc:  # NATS away: renewals retry until the TTL runs out
                log.warning("bar_builder.lease_round_failed", error=repr(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self._renew_s)

    async def round(self) -> None:
        """Heartbeat, renew, then release extras or acquire up to the fair share."""
        await self._bucket.put(instance_key(self.instance_id), self._me)
        await self._renew()
        live = len(await self._bucket.keys(INSTANCE_PREFIX))
        share = fair_share(self._count, live)
        if len(self.held) > share:
            extras = release_order(list(self.held), self._count, self.instance_id)
            for p in extras[: len(self.held) - share]:
                await self._give_up(p, self.held[p])
            return
        for p in acquisition_order(self._count, self.instance_id):
            if len(self.held) >= share:
                break
            if p not in self.held:
                await self._acquire(p)

    async def release_all(self) -> None:
        """Graceful shutdown: stop every worker, then free its lease for the others."""
        self.stop()
        await self._supervisor.stop_all()
        for p, lease in list(self.held.items()):
            with contextlib.suppress(Exception):
                await self._bucket.delete(lease_key(p), lease.revision)
        self.held.clear()
        with contextlib.suppress(Exception):
            await self._bucket.delete(instance_key(self.instance_id), 0)

    async def _renew(self) -> None:
        now = self._clock()
        for p, lease in list(self.held.items()):
            if p in self._supervisor.stopped():  # fenced off by another owner: let go
                await self._give_up(p, lease)
                continue
            try:
                lease.revision = await self._bucket.update(lease_key(p), self._me, lease.revision)
                lease.renewed_at = now
            except LeaseTaken:
                self._lost(p)
            except Exception as exc:
                if now - lease.renewed_at >= self._ttl_s:  # it has expired by now
                    self._lost(p)
                else:
                    log.warning("bar_builder.lease_renew_failed", partition=p, error=repr(exc))

    async def _acquire(self, partition: int) -> None:
        key = lease_key(partition)
        try:
            revision = await self._bucket.create(key, self._me)
        except LeaseTaken:
            # Held by our own previous incarnation (same id, e.g. a restarted pod)? Adopt it.
            entry = await self._bucket.get(key)
            if entry is None or entry[0] != self._me:
                return
            try:
                revision = await self._bucket.update(key, self._me, entry[1])
            except LeaseTaken:
                return
        self.held[partition] = HeldLease(revision, self._clock())
        self._supervisor.start(partition, f"{self.instance_id}:{revision}")

    async def _give_up(self, partition: int, lease: HeldLease) -> None:
        await self._supervisor.stop(partition)
        self.held.pop(partition, None)
        with contextlib.suppress(Exception):
            await self._bucket.delete(lease_key(partition), lease.revision)
        log.info("bar_builder.lease_released", partition=partition)

    def _lost(self, partition: int) -> None:
        self.held.pop(partition, None)
        self._supervisor.drop(partition)
