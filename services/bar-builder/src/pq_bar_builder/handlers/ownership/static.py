"""Static ownership (PQ_PARTITIONS, or the StatefulSet ordinal): no leases, no moves."""

from __future__ import annotations

import asyncio
import time

from .supervisor import PartitionSupervisor


class StaticOwnership:
    def __init__(
        self, supervisor: PartitionSupervisor, partitions: tuple[int, ...], instance_id: str
    ) -> None:
        self._supervisor = supervisor
        self.partitions = partitions
        # A restarted instance fences off its previous incarnation with a newer token.
        self._fence = f"{instance_id}:static:{time.time_ns()}"
        self._stop = asyncio.Event()

    def stop(self) -> None:
        self._stop.set()

    async def run(self) -> None:
        for p in self.partitions:
            self._supervisor.start(p, self._fence)
        await self._stop.wait()

    async def release_all(self) -> None:
        self.stop()
        await self._supervisor.stop_all()
