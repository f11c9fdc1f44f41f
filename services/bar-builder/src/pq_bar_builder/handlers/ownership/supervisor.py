"""PartitionSupervisor: one PartitionWorker task per partition this instance owns."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import structlog

from ..partition_worker import PartitionWorker

log = structlog.get_logger(__name__)
WorkerFactory = Callable[[int, str], PartitionWorker]


class PartitionSupervisor:
    def __init__(self, make_worker: WorkerFactory, on_change: Callable[[int], None]) -> None:
        self._make_worker = make_worker
        self._on_change = on_change  # told the number of partitions run (a gauge)
        self._workers: dict[int, tuple[PartitionWorker, asyncio.Task[None]]] = {}

    def owned(self) -> list[int]:
        return sorted(self._workers)

    def worker(self, partition: int) -> PartitionWorker | None:
        entry = self._workers.get(partition)
        return None if entry is None else entry[0]

    def stopped(self) -> list[int]:
        """Owned partitions whose worker has ended (fenced, or a bug)."""
        return sorted(p for p, (_, task) in self._workers.items() if task.done())

    def start(self, partition: int, fence: str) -> None:
        if partition in self._workers:
            return
        worker = self._make_worker(partition, fence)
        task = asyncio.create_task(worker.run(), name=f"bar-builder-p{partition}")
        self._workers[partition] = (worker, task)
        self._on_change(len(self._workers))
        log.info("bar_builder.partition_started", partition=partition, fence=fence)

    async def stop(self, partition: int, *, timeout_s: float = 10.0) -> None:
        """Finish the partition's batch in hand (committed and acked), then forget it."""
        entry = self._workers.pop(partition, None)
        if entry is None:
            return
        worker, task = entry
        worker.stop()
        done, _ = await asyncio.wait({task}, timeout=timeout_s)
        if not done:  # a stuck commit: the next owner's fence makes it harmless
            task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        self._on_change(len(self._workers))
        log.info("bar_builder.partition_stopped", partition=partition)

    def drop(self, partition: int) -> None:
        """Ownership is lost: stop at once, without waiting (the fence guards the store)."""
        entry = self._workers.pop(partition, None)
        if entry is not None:
            entry[0].stop()
            entry[1].cancel()
            self._on_change(len(self._workers))
            log.warning("bar_builder.partition_lost", partition=partition)

    async def stop_all(self, timeout_s: float = 10.0) -> None:
        await asyncio.gather(*(self.stop(p, timeout_s=timeout_s) for p in self.owned()))
