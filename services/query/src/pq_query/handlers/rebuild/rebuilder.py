"""Rebuild the bars model from PQ_BARS while the service keeps serving, then swap it in.

1. Create generation g+1 (empty) beside the live generation g.
2. Replay PQ_BARS in stream order from its first message up to its last sequence at the
   start, into g+1; the live consumer keeps projecting into g meanwhile.
3. Pause the live consumer (its batch in hand is committed and acked), read where it
   stopped (the durable's last delivered sequence) and replay g+1 up to exactly there.
4. Move the generation pointer to g+1 (one write), swap the in-memory readers and
   writers, resume the live consumer: it continues from its durable position into g+1.
5. Drop g. Cached pages are keyed by generation, so none of g's is served again.

The reconcile rule orders writes by (rank, revision, stream sequence), not by arrival,
so g+1 equals what g would hold for the same events, except intraday bars keyed by the
old UTC-aligned rule: those are left out and counted (old_keys.py; re-sync the range).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Generic, TypeVar

import structlog
from nats.aio.client import Client
from nats.aio.msg import Msg

from pq_domain.subjects import STREAM_BARS
from pq_runtime.envelope import EnvelopeError
from pq_runtime.messaging import Delivery, KnownSchemas, UnknownSchema
from pq_runtime.stores import UnitOfWork

from ...model.live_model import LiveBarModel
from ...ports import BarModelWriter, ReadModels
from ..consumers import BARS_DURABLE, BARS_EVENTS, BARS_SUBJECTS, ConsumerRunner
from .old_keys import OldKeyFilter
from .replay import OrderedReplay
from .tolerant_batch import tolerant_bar_batch

log = structlog.get_logger(__name__)
U = TypeVar("U", bound=UnitOfWork)


class RebuildInProgress(RuntimeError):
    """Another rebuild of the same model is running."""


@dataclass(frozen=True, slots=True)
class RebuildReport:
    model: str
    generation: int
    replaced_generation: int
    events: int
    skipped: int
    last_seq: int
    seconds: float
    old_keys_dropped: int = 0  # intraday bars keyed at UTC multiples off the session grid


class BarsRebuilder(Generic[U]):
    def __init__(
        self,
        nc: Client,
        models: ReadModels[U],
        live: LiveBarModel[U],
        consumer: ConsumerRunner,
        *,
        fetch_batch: int = 500,
    ) -> None:
        self._nc = nc
        self._models = models
        self._live = live
        self._consumer = consumer
        self._fetch_batch = fetch_batch
        self._lock = asyncio.Lock()

    async def rebuild(self) -> RebuildReport:
        if self._lock.locked():
            raise RebuildInProgress("a rebuild of the bars model is already running")
        async with self._lock:
            return await self._rebuild()

    async def _rebuild(self) -> RebuildReport:
        started = time.monotonic()
        js = self._nc.jetstream()
        old = self._live.current.generation
        new = old + 1
        await self._models.generations.create(new)
        applier = _Applier(self._models, self._models.bar_writer(new))
        replay = OrderedReplay(js, STREAM_BARS.name, BARS_SUBJECTS, batch=self._fetch_batch)
        try:
            target = (await js.stream_info(STREAM_BARS.name)).state.last_seq
            events = await replay.until(target, applier.apply)
            await self._consumer.stop()
            try:
                info = await js.consumer_info(STREAM_BARS.name, BARS_DURABLE)
                stopped_at = max(target, info.delivered.stream_seq or 0)
                events += await replay.until(stopped_at, applier.apply)
                await self._models.generations.activate(new)
                self._live.swap(new)
            finally:
                self._consumer.start()
        except BaseException:
            await self._models.generations.drop(new)
            raise
        finally:
            await replay.close()
        await self._models.generations.drop(old)
        report = RebuildReport(
            "bars", new, old, events, applier.skipped, replay.position,
            round(time.monotonic() - started, 3), applier.old_keys.dropped,
        )  # fmt: skip
        log.info("rebuild.done", **asdict(report))
        return report


class _Applier(Generic[U]):
    """Applies replayed messages to one generation, one transaction per fetched batch."""

    def __init__(self, models: ReadModels[U], writer: BarModelWriter[U]) -> None:
        self._models = models
        self._writer = writer
        self._seen: set[str] = set()  # the live consumer's inbox skips repeated ids too
        self.skipped = 0
        self.old_keys = OldKeyFilter()
        self._schemas = KnownSchemas.of(BARS_EVENTS)  # the live consumer's rule

    async def apply(self, msgs: Sequence[Msg]) -> None:
        deliveries: list[Delivery] = []
        for msg in msgs:
            try:
                d = Delivery.parse(msg)
                self._schemas.check(d.envelope)
            except (EnvelopeError, UnknownSchema):
                self.skipped += 1  # the live consumer dead-lettered it as well
                continue
            if d.event_id not in self._seen:
                self._seen.add(d.event_id)
                deliveries.append(d)
        batch, bad = tolerant_bar_batch(deliveries)
        batch = self.old_keys(batch)
        self.skipped += bad
        async with self._models.store.unit_of_work() as uow:
            await self._writer.apply(uow, batch)
            await uow.commit()
