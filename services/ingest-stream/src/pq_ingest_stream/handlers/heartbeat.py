"""Every `every_s` (and at once on a state change): write this shard's status, read the
others', re-assign symbols when the live members changed, persist the quote cursors."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Protocol

import nats.errors
import structlog

from pq_domain.shard_status import ShardStatus

from ..metrics import StreamMetrics
from .cursor_flusher import CursorFlusher
from .shard_membership import ShardMembership
from .status_reporter import StatusReporter
from .subscription_keeper import SubscriptionKeeper

log = structlog.get_logger(__name__)


class StatusReader(Protocol):
    async def all(self) -> list[ShardStatus]: ...


class Heartbeat:
    def __init__(
        self,
        reporter: StatusReporter,
        board: StatusReader,
        membership: ShardMembership,
        keeper: SubscriptionKeeper,
        flusher: CursorFlusher,
        metrics: StreamMetrics,
        *,
        every_s: float,
        wake: asyncio.Event,
    ) -> None:
        self._reporter = reporter
        self._board = board
        self._membership = membership
        self._keeper = keeper
        self._flusher = flusher
        self._metrics = metrics
        self._every_s = every_s
        # Set by whoever sees a change (connection state, symbols): report now rather than
        # at the next period. Made by the caller, so the parts that set it need no Heartbeat.
        self._wake = wake

    async def beat(self) -> None:
        await self._reporter.report()
        if not self._membership.is_static:
            before = self._membership.members
            if self._membership.update(await self._board.all()):
                log.info(
                    "shard.members_changed",
                    members=sorted(self._membership.members),
                    before=sorted(before),
                )
                await self._keeper.reconcile()
        self._metrics.members.set(len(self._membership.members))
        await self._flusher.flush()

    async def flush_cursors(self) -> None:
        await self._flusher.flush()

    async def run(self) -> None:
        while True:
            self._wake.clear()
            try:
                await self.beat()
            except (nats.errors.Error, OSError, TimeoutError) as exc:
                log.warning("heartbeat.failed", error=repr(exc))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._every_s):
                    await self._wake.wait()
