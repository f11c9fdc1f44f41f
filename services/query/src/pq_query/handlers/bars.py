"""The bars projection: PQ_BARS -> bars, symbols, coverage, chunk progress.

Its consumer uses the inbox (tracking records in the same transaction), and the writes
are natural-key upserts under the reconcile rule (model/bar_rows.py), so a replayed
event changes nothing either way. After the commit, the cache versions of the touched
(symbol, interval) keys are bumped: once per key and batch, however many bars it wrote.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

from pq_runtime.messaging import Delivery
from pq_runtime.stores import UnitOfWork

from ..metrics import QueryMetrics
from ..ports import BarModelWriter
from .bar_events import bar_batch
from .hooked_uow import HookedUnitOfWork

U = TypeVar("U", bound=UnitOfWork)
Keys = set[tuple[str, str]]


class BarsProjection(Generic[U]):
    def __init__(
        self,
        writer: Callable[[], BarModelWriter[U]],
        *,
        on_committed: Callable[[Keys], Awaitable[None]] | None = None,
        metrics: QueryMetrics | None = None,
    ) -> None:
        # `writer` is looked up per batch: a rebuild swaps the live generation.
        self._writer = writer
        self._on_committed = on_committed
        self._metrics = metrics

    async def __call__(self, uow: HookedUnitOfWork[U], deliveries: Sequence[Delivery]) -> None:
        started = time.perf_counter()
        batch = bar_batch(deliveries)
        await self._writer().apply(uow.inner, batch)
        touched = batch.touched()
        if self._on_committed is not None and touched:
            on_committed = self._on_committed
            uow.after_commit(lambda: on_committed(touched))
        if self._metrics is not None:
            self._metrics.observe_batch("bars", len(deliveries), time.perf_counter() - started)
            self._metrics.bars_upserted.inc(len(batch.rows))
            last = deliveries[-1].msg.metadata.timestamp
            self._metrics.observe_event_time("bars", last)
