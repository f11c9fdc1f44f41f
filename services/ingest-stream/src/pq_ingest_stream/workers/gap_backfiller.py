"""Turns closed gaps into SyncRequested commands and sends them under a rate limit.

The provider rate-limits history requests, and a restart of a shard with a thousand symbols
would otherwise ask for thousands at once: commands wait in a queue and leave through a
token bucket. A symbol with an open gap or queued commands is "busy": its cursor is not
advanced (CursorFlusher), so a crash before the commands are acked re-derives them on the
next start, with the same deterministic job ids.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable

import nats.errors
import structlog

from pq_domain import Symbol
from pq_domain.events import SyncRequested

from ..domain.backfill_plan import BackfillPolicy, backfill_commands
from ..domain.gap_tracker import GapTracker
from ..domain.last_quotes import LastQuotes
from ..domain.token_bucket import TokenBucket
from ..metrics import StreamMetrics

log = structlog.get_logger(__name__)
FAILURE_PAUSE_S = 1.0
SendCommand = Callable[[SyncRequested], Awaitable[None]]


def wall_ms() -> int:
    return int(time.time() * 1000)


class GapBackfiller:
    def __init__(
        self,
        tracker: GapTracker,
        policy: BackfillPolicy,
        send: SendCommand,
        bucket: TokenBucket,
        last_quotes: LastQuotes,
        metrics: StreamMetrics,
        *,
        clock: Callable[[], float] = time.monotonic,
        now_ms: Callable[[], int] = wall_ms,
    ) -> None:
        self._tracker = tracker
        self._policy = policy
        self._send = send
        self._bucket = bucket
        self._last = last_quotes
        self._metrics = metrics
        self._clock = clock
        self._now_ms = now_ms
        self._queue: deque[SyncRequested] = deque()
        self._queued_ids: set[str] = set()
        self._queued_per_symbol: Counter[Symbol] = Counter()
        self.connected_at: float | None = None  # set by SessionWatch (monotonic)

    def open_gap(self, symbol: Symbol, since_ms: int | None) -> None:
        self._tracker.open(symbol, since_ms, self._clock())
        self._metrics.gaps_open.set(len(self._tracker))

    def forget(self, symbol: Symbol) -> None:
        self._tracker.discard(symbol)
        if self._queued_per_symbol.pop(symbol, 0):
            kept = [c for c in self._queue if c.symbol != symbol]
            self._queue = deque(kept)
            self._queued_ids = {c.job_id for c in kept}

    def busy(self, symbol: Symbol) -> bool:
        return self._tracker.is_open(symbol) or self._queued_per_symbol[symbol] > 0

    def busy_symbols(self, among: frozenset[Symbol]) -> frozenset[Symbol]:
        return frozenset(s for s in among if self.busy(s))

    @property
    def queued(self) -> int:
        return len(self._queue)

    def close_due(self) -> None:
        # Event time at which quotes flow again: the newest quote seen on this shard (see
        # GapTracker); the wall clock only if none came at all (every market closed).
        newest = self._last.newest_ms
        resume_ms = self._now_ms() if newest is None else newest
        for gap in self._tracker.close_due(self._clock(), self.connected_at, resume_ms):
            for command in backfill_commands(gap, self._policy):
                if command.job_id not in self._queued_ids:
                    self._queue.append(command)
                    self._queued_ids.add(command.job_id)
                    self._queued_per_symbol[command.symbol] += 1
        self._metrics.gaps_open.set(len(self._tracker))
        self._metrics.backfill_queued.set(len(self._queue))

    async def send_allowed(self) -> bool:
        """Send queued commands while the token bucket allows; False at the first failure."""
        while self._queue and self._bucket.try_take(self._clock()):
            command = self._queue[0]
            try:
                await self._send(command)
            except (nats.errors.Error, OSError) as exc:
                log.warning("backfill.send_failed", job_id=command.job_id, error=repr(exc))
                return False
            self._queue.popleft()
            self._queued_ids.discard(command.job_id)
            self._queued_per_symbol[command.symbol] -= 1
            if self._queued_per_symbol[command.symbol] <= 0:
                del self._queued_per_symbol[command.symbol]
            self._metrics.backfill_commands.inc()
        self._metrics.backfill_queued.set(len(self._queue))
        return True

    async def run(self, tick_s: float = 0.2) -> None:
        while True:
            self.close_due()
            if not await self.send_allowed():
                await asyncio.sleep(FAILURE_PAUSE_S)  # NATS is away: do not spin on it
                continue
            wait = self._bucket.wait_s(self._clock()) if self._queue else tick_s
            await asyncio.sleep(min(tick_s, max(wait, 0.01)))
