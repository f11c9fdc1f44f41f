"""The port through which the relay and the reconciler reach a store's outbox."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ..stores.records import OutboxRow, OutboxStats, SentMark


class OutboxSource(Protocol):
    name: str

    async def wait_for_commit(self, within_s: float) -> bool:
        """Return early when this process committed outbox rows; else after `within_s` s."""
        ...

    async def claim(self, owner: str, limit: int, lease_s: float) -> list[OutboxRow]:
        """Lease the earliest pending rows of partition keys no other owner holds, in seq order."""
        ...

    async def mark_sent(self, marks: Sequence[SentMark]) -> None: ...

    async def release(self, owner: str, seqs: Sequence[int]) -> None: ...

    async def stats(self) -> OutboxStats: ...

    async def sent_since(self, since: float, limit: int = 10_000) -> list[OutboxRow]: ...

    async def purge_sent(self, older_than: float) -> int: ...
