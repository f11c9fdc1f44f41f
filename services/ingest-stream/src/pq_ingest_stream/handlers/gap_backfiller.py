"""Turns closed gaps into SyncRequested commands and sends them under a rate limit.

The provider rate-limits history requests, and a restart of a shard with a thousand symbols
would otherwise ask for thousands at once: commands wait in a queue (merged per series, see
CommandQueue) and leave through a token bucket. A symbol with an open gap or queued
commands is "busy": its cursor is not advanced (CursorFlusher), so a crash before the
commands are acked re-derives them on the next start, with the same deterministic job ids.

A gap command sent before its last bucket closed leaves a follow-up (follow_ups.py): that
bucket is synced again once event time passed its end. Follow-ups do not make a symbol busy;
they are persisted with its cursor instead, and re-written whenever they change.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import nats.errors
import structlog

from pq_domain import Symbol
from pq_domain.events import SyncRequested

from ..metrics import StreamMetrics
from ..model.backfill_plan import BackfillKind, BackfillPolicy, backfill_commands
from ..model.command_queue import CommandQueue
from ..model.follow_ups import FollowUp, FollowUps, follow_up_of
from ..model.gap_tracker import GapTracker
from ..model.last_quotes import LastQuotes
from ..model.token_bucket import TokenBucket

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
        follow_up_delay_ms: int = 2_000,
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
        self._queue = CommandQueue()
        self._follow_ups = FollowUps(delay_ms=follow_up_delay_ms)
        self._follow_up_delay_ms = follow_up_delay_ms
        self.connected_at: float | None = None  # set by SessionWatch (monotonic)

    def open_gap(self, symbol: Symbol, since_ms: int | None) -> None:
        self._tracker.open(symbol, since_ms, self._clock())
        self._metrics.gaps_open.set(len(self._tracker))

    def quotes_dropped(self, symbol: Symbol, first_ts: int, last_ts: int) -> None:
        """The quote client dropped these quotes of `symbol`: their bars need the history."""
        self._tracker.dropped(symbol, first_ts, last_ts, self._clock())
        self._metrics.gaps_open.set(len(self._tracker))

    def restore_follow_ups(self, follow_ups: tuple[FollowUp, ...]) -> None:
        """Follow-ups read back with a cursor (a restart, a take-over)."""
        for follow_up in follow_ups:
            self._follow_ups.add(follow_up)
        self._metrics.backfill_follow_ups.set(len(self._follow_ups))

    def follow_ups_of(self, symbol: Symbol) -> tuple[FollowUp, ...]:
        return self._follow_ups.of(symbol)

    def forget(self, symbol: Symbol) -> None:
        """Handed over: the next owner re-derives all of it from the symbol's cursor."""
        self._tracker.discard(symbol)
        self._queue.discard(symbol)
        self._follow_ups.discard(symbol)

    def stream_ended(self, symbol: Symbol) -> None:
        """Off the watchlist (its cursor is deleted): still repair the live bars the stream
        built here, its open gap closed now; a symbol that never streamed needs nothing."""
        if self._last.get(symbol) is None:
            self.forget(symbol)
            return
        gap = self._tracker.close_now(symbol, self._event_ms())
        if gap is not None:
            self._enqueue(BackfillKind.GAP, backfill_commands(gap, self._policy))

    def busy(self, symbol: Symbol) -> bool:
        return self._tracker.is_open(symbol) or self._queue.has(symbol)

    def busy_symbols(self, among: frozenset[Symbol]) -> frozenset[Symbol]:
        return frozenset(s for s in among if self.busy(s))

    @property
    def queued(self) -> int:
        return len(self._queue)

    def close_due(self) -> None:
        # Event time at which quotes flow again: the newest quote seen on this shard (see
        # GapTracker); the wall clock only if none came at all (every market closed).
        event_ms = self._event_ms()
        for gap in self._tracker.close_due(self._clock(), self.connected_at, event_ms):
            self._enqueue(BackfillKind.GAP, backfill_commands(gap, self._policy))
        due = self._follow_ups.take_due(event_ms)
        self._enqueue(BackfillKind.FOLLOW_UP, [f.command() for f in due])
        self._metrics.gaps_open.set(len(self._tracker))
        self._metrics.backfill_follow_ups.set(len(self._follow_ups))

    async def send_allowed(self) -> bool:
        """Send queued commands while the token bucket allows; False at the first failure."""
        while (queued := self._queue.first()) is not None and self._bucket.try_take(self._clock()):
            command = queued.command
            try:
                await self._send(command)
            except (nats.errors.Error, OSError) as exc:
                log.warning("backfill.send_failed", job_id=command.job_id, error=repr(exc))
                return False
            self._metrics.backfill_commands.inc()
            # The send awaited: a hand-over or a merge may have changed the queue meanwhile.
            if not self._queue.sent(queued):
                continue
            if queued.kind is BackfillKind.GAP:
                follow_up = follow_up_of(command, self._event_ms(), self._follow_up_delay_ms)
                if follow_up is not None:
                    self._follow_ups.add(follow_up)
            self._last.mark_dirty([command.symbol])  # its persisted follow-ups changed
        self._metrics.backfill_queued.set(len(self._queue))
        self._metrics.backfill_follow_ups.set(len(self._follow_ups))
        return True

    async def run(self, tick_s: float = 0.2) -> None:
        while True:
            self.close_due()
            if not await self.send_allowed():
                await asyncio.sleep(FAILURE_PAUSE_S)  # NATS is away: do not spin on it
                continue
            wait = self._bucket.wait_s(self._clock()) if self._queue else tick_s
            await asyncio.sleep(min(tick_s, max(wait, 0.01)))

    def _enqueue(self, kind: BackfillKind, commands: list[SyncRequested]) -> None:
        for command in commands:
            self._queue.add(kind, command)
        self._metrics.backfill_queued.set(len(self._queue))

    def _event_ms(self) -> int:
        newest = self._last.newest_ms
        return self._now_ms() if newest is None else newest
