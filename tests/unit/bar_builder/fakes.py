"""Doubles with visible state: an in-memory lease bucket with TTL, a recording supervisor."""

from __future__ import annotations

from dataclasses import dataclass, field

from pq_bar_builder.ports import LeaseTaken


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class _Entry:
    value: bytes
    revision: int
    written_at: float


class MemoryLeaseBucket:
    """NATS KV semantics that leases rely on: CAS by revision, expiry `ttl` after a write."""

    def __init__(self, clock: FakeClock, ttl_s: float) -> None:
        self._clock = clock
        self._ttl_s = ttl_s
        self._entries: dict[str, _Entry] = {}
        self._revision = 0

    def _live(self, key: str) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is not None and self._clock() - entry.written_at >= self._ttl_s:
            del self._entries[key]
            return None
        return entry

    def _write(self, key: str, value: bytes) -> int:
        self._revision += 1
        self._entries[key] = _Entry(value, self._revision, self._clock())
        return self._revision

    async def create(self, key: str, value: bytes) -> int:
        if self._live(key) is not None:
            raise LeaseTaken(key)
        return self._write(key, value)

    async def update(self, key: str, value: bytes, last: int) -> int:
        entry = self._live(key)
        if entry is None or entry.revision != last:
            raise LeaseTaken(key)
        return self._write(key, value)

    async def delete(self, key: str, last: int) -> None:
        entry = self._live(key)
        if entry is not None and last and entry.revision != last:
            raise LeaseTaken(key)
        self._entries.pop(key, None)

    async def put(self, key: str, value: bytes) -> int:
        return self._write(key, value)

    async def get(self, key: str) -> tuple[bytes, int] | None:
        entry = self._live(key)
        return None if entry is None else (entry.value, entry.revision)

    async def keys(self, prefix: str) -> list[str]:
        return [k for k in list(self._entries) if k.startswith(prefix) and self._live(k)]

    def holder(self, partition: int) -> bytes | None:
        entry = self._live(f"partition.{partition}")
        return None if entry is None else entry.value


@dataclass
class RecordingSupervisor:
    """What PartitionLeases asks of a PartitionSupervisor, recorded."""

    running: dict[int, str] = field(default_factory=dict)  # partition -> fence
    fenced: set[int] = field(default_factory=set)
    dropped: list[int] = field(default_factory=list)

    def owned(self) -> list[int]:
        return sorted(self.running)

    def stopped(self) -> list[int]:
        return sorted(p for p in self.running if p in self.fenced)

    def start(self, partition: int, fence: str) -> None:
        self.running.setdefault(partition, fence)

    async def stop(self, partition: int, *, timeout_s: float = 10.0) -> None:
        self.running.pop(partition, None)

    def drop(self, partition: int) -> None:
        self.running.pop(partition, None)
        self.dropped.append(partition)

    async def stop_all(self, timeout_s: float = 10.0) -> None:
        self.running.clear()
