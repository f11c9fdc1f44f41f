"""One SSE client's feed: core subscriptions for quotes and provisional bars, and an
ordered JetStream consumer on PQ_BARS for completed bars (so each carries its stream
sequence as the SSE id, and a reconnect with Last-Event-ID replays what was missed).

Quotes and provisional bars are superseded by the next one, so a client that falls
behind loses some of them; completed bars are never dropped (their delivery waits).
Payloads get their RFC 3339 time (payloads.py) as they leave the queue: an event dropped
for a slow client costs no re-encoding.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Sequence

import structlog
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy

from pq_domain import ALL_INTERVALS, Symbol
from pq_domain.subjects import (
    STREAM_BARS,
    bars_completed_subject,
    live_bars_subject,
    quotes_subject,
)

from .frames import BAR_COMPLETED, BAR_PROVISIONAL, QUOTE, SseEvent
from .payloads import TimeFormat, with_rfc3339_time

log = structlog.get_logger("pq_gateway.sse")


class LiveFeed:
    def __init__(
        self,
        nc: NatsClient,
        symbols: Sequence[Symbol],
        *,
        last_event_id: int | None,
        queue_size: int,
        time_format: TimeFormat = "rfc3339",
    ) -> None:
        self._nc = nc
        self._symbols = tuple(symbols)
        self._last_event_id = last_event_id
        self._rfc3339 = time_format == "rfc3339"
        self._queue: asyncio.Queue[SseEvent] = asyncio.Queue(maxsize=queue_size)
        self._subscriptions: list[Subscription] = []
        self._bars: JetStreamContext.PushSubscription | None = None
        self.dropped = 0

    async def open(self) -> None:
        """Subscribe everything; on return the server knows every subscription."""
        try:
            for symbol in self._symbols:
                await self._subscribe_core(quotes_subject(symbol), QUOTE)
                for interval in ALL_INTERVALS:
                    await self._subscribe_core(live_bars_subject(symbol, interval), BAR_PROVISIONAL)
            if self._symbols:  # a jobs-only stream has none
                await self._subscribe_completed_bars()
            await self._nc.flush()
        except BaseException:
            await self.close()
            raise

    async def offer(self, event: SseEvent) -> None:
        """Another source's event (job events), waited for like completed bars."""
        await self._queue.put(event)

    async def next_event(self) -> SseEvent:
        event = await self._queue.get()
        if not self._rfc3339:
            return event
        return dataclasses.replace(event, data=with_rfc3339_time(event.event, event.data))

    async def close(self) -> None:
        subscriptions, self._subscriptions = self._subscriptions, []
        for sub in subscriptions:
            with contextlib.suppress(Exception):  # connection may already be gone
                await sub.unsubscribe()
        bars, self._bars = self._bars, None
        if bars is not None:
            # Unsubscribing leaves the ephemeral consumer on the server until its inactive
            # threshold; delete it now (its current name: an ordered consumer renames on reset).
            with contextlib.suppress(Exception):
                await bars.unsubscribe()
                await self._nc.jetstream().delete_consumer(STREAM_BARS.name, bars._consumer)
        if self.dropped:
            log.info("sse client fell behind", dropped_events=self.dropped)

    async def _subscribe_core(self, subject: str, event: str) -> None:
        async def deliver(msg: Msg) -> None:
            try:
                self._queue.put_nowait(SseEvent(event, msg.data))
            except asyncio.QueueFull:
                self.dropped += 1

        self._subscriptions.append(await self._nc.subscribe(subject, cb=deliver))

    async def _subscribe_completed_bars(self) -> None:
        subjects = [
            bars_completed_subject(symbol, interval)
            for symbol in self._symbols
            for interval in ALL_INTERVALS
        ]
        if self._last_event_id is None:
            config = ConsumerConfig(filter_subjects=subjects, deliver_policy=DeliverPolicy.NEW)
        else:
            config = ConsumerConfig(
                filter_subjects=subjects,
                deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
                opt_start_seq=self._last_event_id + 1,
            )

        async def deliver(msg: Msg) -> None:
            sequence = str(msg.metadata.sequence.stream)
            await self._queue.put(SseEvent(BAR_COMPLETED, msg.data, id=sequence))

        self._bars = await self._nc.jetstream().subscribe(
            subjects[0],
            stream=STREAM_BARS.name,
            config=config,
            cb=deliver,
            ordered_consumer=True,
            inactive_threshold=10.0,  # the server drops it soon after a crash of ours
        )
