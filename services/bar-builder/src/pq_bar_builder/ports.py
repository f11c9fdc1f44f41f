"""Ports of the bar-builder: where partition state lives, and the lease bucket."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol

from pq_runtime.stores import OutboxBuffer


class PartitionFenced(RuntimeError):
    """Another owner claimed the partition since we did: our batch must not commit."""


@dataclass(frozen=True, slots=True)
class StoredPartition:
    last_seq: int  # last applied sequence of the partitioned stream (the tracking record)
    symbols: list[tuple[str, bytes]]  # per-symbol aggregator state


class PartitionTransaction(Protocol):
    """One unit of work: symbol states + tracking record + outbox rows commit together."""

    @property
    def outbox(self) -> OutboxBuffer: ...

    def save(
        self, partition: int, fence: str, last_seq: int, symbols: Sequence[tuple[str, bytes]]
    ) -> None:
        """Write at commit; commit raises PartitionFenced (and writes nothing) when the
        partition's fence is no longer `fence`."""
        ...

    async def commit(self) -> None: ...


class PartitionStateStore(Protocol):
    async def claim(self, partition: int, fence: str) -> StoredPartition:
        """Become the partition's writer (older owners are fenced off) and read its state."""
        ...

    async def load(self, partition: int) -> StoredPartition: ...

    def transaction(self) -> AbstractAsyncContextManager[PartitionTransaction]: ...

    async def ping(self) -> None: ...


class LeaseTaken(Exception):
    """The key exists (create) or changed since our revision (update, delete)."""


class LeaseBucket(Protocol):
    """Compare-and-set keys that expire `ttl` after their last write (NATS KV, max_age)."""

    async def create(self, key: str, value: bytes) -> int: ...

    async def update(self, key: str, value: bytes, last: int) -> int: ...

    async def delete(self, key: str, last: int) -> None: ...

    async def put(self, key: str, value: bytes) -> int: ...

    async def get(self, key: str) -> tuple[bytes, int] | None:
        """(value, revision) of a live key, or None."""
        ...

    async def keys(self, prefix: str) -> list[str]: ...
