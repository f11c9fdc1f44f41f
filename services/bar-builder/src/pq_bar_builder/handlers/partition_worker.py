"""PartitionWorker: the hot path of one partition, exactly once against its store.

Per batch: decode (poison -> `pq.dlq.PQ_QUOTES_PARTITIONED`), one aggregation pass,
ONE transaction with the touched symbols' states, the tracking record (last applied
stream sequence) and the outbox rows of the completed bars, then one ack (AckAll).
A crash before the commit replays the batch from the stored state; a crash after it
skips the batch (sequence <= tracked). Any failure reloads the state from the store
and repositions the consumer there. When caught up, a clock closes idle bars.

Tracing: one CONSUMER span per batch (`consume bar-builder-p<n>`, from the quotes'
traceparents) around the aggregation and a `store bars.commit` span around the
transaction, so the BarCompleted outbox rows carry the batch's context. Nothing per
quote, nothing for the provisional bars (the hot path).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable, Sequence

import structlog
from nats.aio.msg import Msg

from pq_domain import Symbol
from pq_domain.events import BarCompleted
from pq_domain.subjects import bars_completed_subject
from pq_runtime.envelope import CORRELATION_ID, TRACEPARENT
from pq_runtime.messaging.dlq import dead_letter
from pq_runtime.telemetry import consume_span, store_span

from ..adapters.partition_subscription import PartitionSubscription
from ..model.partition_bars import PartitionBars
from ..model.quote_decoder import QuoteDecoder
from ..ports import PartitionFenced, StoredPartition
from .decoded_batch import decode_batch
from .worker_deps import WorkerDeps

log = structlog.get_logger(__name__)
MAX_BACKOFF_S = 5.0


class PartitionWorker:
    def __init__(self, partition: int, fence: str, deps: WorkerDeps) -> None:
        self.partition = partition
        self.fence = fence
        self._deps = deps
        s = deps.settings
        self._sub = PartitionSubscription(
            deps.js,
            s.stream,
            partition,
            batch_size=s.batch_size,
            fetch_timeout_s=s.fetch_timeout_s,
            ack_wait_s=s.ack_wait_s,
        )
        self._bars = PartitionBars(deps.aggregator, deps.session_for)
        self._live = deps.live(self._bars.forming) if deps.live else None
        self._decoder = QuoteDecoder()
        self._span_name = f"consume {self._sub.durable}"
        if deps.runtime_metrics is not None:
            deps.runtime_metrics.declare_consumer(s.stream, self._sub.durable)
        self._stop = asyncio.Event()
        self._reload = True
        self._caught_up = False
        self._next_delivery = 1  # the consumer's next delivery number (decoded_batch.py)
        self._next_tick = 0.0
        self.applied_seq = 0
        self.fenced = False

    def stop(self) -> None:
        """Finish the batch in hand, then return from `run`."""
        self._stop.set()

    async def run(self) -> None:
        backoff = 0.1
        claimed: StoredPartition | None = None
        try:
            while not self._stop.is_set():
                try:
                    if claimed is None:
                        claimed = await self._deps.store.claim(self.partition, self.fence)
                        await self._resume(claimed)
                    await self._step()
                    backoff = 0.1
                except PartitionFenced:
                    self.fenced = True
                    log.warning("bar_builder.partition_fenced", partition=self.partition)
                    return
                except Exception as exc:  # store or NATS trouble: reload, reposition, go on
                    log.warning(
                        "bar_builder.partition_failed", partition=self.partition, error=repr(exc)
                    )
                    self._reload = True
                    self._deps.metrics.recoveries.inc()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._stop.wait(), backoff)
                    backoff = min(backoff * 2, MAX_BACKOFF_S)
        finally:
            if self._deps.runtime_metrics is not None:  # the next owner reports the lag
                lag = self._deps.runtime_metrics.consumer_lag
                with contextlib.suppress(KeyError):
                    lag.remove(self._deps.settings.stream, self._sub.durable)
            await self._sub.close()

    async def _step(self) -> None:
        if self._reload:
            await self._resume(await self._deps.store.load(self.partition))
        msgs = await self._sub.fetch()
        if msgs:
            await self._apply(msgs)
        if self._caught_up and time.monotonic() >= self._next_tick:
            self._next_tick = time.monotonic() + self._deps.settings.clock_interval_s
            await self._tick()
        if self._live is not None:
            await self._live.flush(self._deps.clock_ms())

    async def _resume(self, stored: StoredPartition) -> None:
        self._bars.load(stored.symbols)
        self.applied_seq = stored.last_seq
        await self._sub.reset(stored.last_seq)
        self._next_delivery = 1
        self._caught_up = False
        self._reload = False

    async def _apply(self, msgs: Sequence[Msg]) -> None:
        started = time.perf_counter()
        d = self._deps
        stream, durable, rt = d.settings.stream, self._sub.durable, d.runtime_metrics
        batch = decode_batch(msgs, self.applied_seq, self._decoder, self._next_delivery)
        for msg, error in batch.poison:  # before the commit: a replay re-sends, deduplicated
            max_payload = d.nc.max_payload if d.nc is not None else None
            await dead_letter(
                d.js, msg, stream=stream, consumer=durable, error=error, max_payload=max_payload
            )
            if rt is not None:
                rt.dlq.labels(stream, durable).inc()
        with consume_span(self._span_name, [_Traced(m.headers) for m in msgs]):
            bars, touched = self._bars.apply(batch.quotes, batch.arrivals_ms)
            with store_span("bars.commit"):
                await self._commit(bars, touched, batch.last_seq)
        self.applied_seq = batch.last_seq
        self._next_delivery = batch.next_delivery
        await msgs[-1].ack()  # AckPolicy.ALL: acknowledges the whole batch
        self._caught_up = batch.pending == 0
        m = d.metrics
        m.quotes.inc(len(batch.quotes))
        if batch.skipped:
            m.skipped.inc(batch.skipped)
        if batch.poison:
            m.poison.inc(len(batch.poison))
        m.batch_size.observe(len(msgs))
        if rt is not None:
            rt.consumer_processed.labels(stream, durable).inc(len(batch.quotes))
            if batch.skipped:
                rt.consumer_duplicates.labels(stream, durable).inc(batch.skipped)
            rt.consumer_lag.labels(stream, durable).set(batch.pending)
        m.batch_seconds.observe(time.perf_counter() - started)
        if self._live is not None and touched:
            await self._live.changed(touched, d.clock_ms())

    async def _tick(self) -> None:
        bars = self._bars.tick(self._deps.clock_ms())
        if bars:  # idle bars closed by the clock: no message caused them, a trace of their own
            with store_span("bars.close_idle"):
                await self._commit(bars, dict.fromkeys(b.symbol for b in bars), self.applied_seq)

    async def _commit(
        self, bars: list[BarCompleted], symbols: Iterable[Symbol], last_seq: int
    ) -> None:
        rows = [(str(s), self._bars.dump(s)) for s in symbols]
        async with self._deps.store.transaction() as tx:
            for b in bars:
                # Partition key = symbol: the relay keeps each symbol's bars in order.
                key = str(b.symbol)
                tx.outbox.add(b, bars_completed_subject(b.symbol, b.interval), partition_key=key)
            tx.save(self.partition, self.fence, last_seq, rows)
            await tx.commit()
        self._count(bars)

    def _count(self, bars: list[BarCompleted]) -> None:
        m = self._deps.metrics
        revisions = sum(1 for b in bars if b.revision)
        if revisions:
            m.bars.labels("revision").inc(revisions)
        if len(bars) > revisions:
            m.bars.labels("completed").inc(len(bars) - revisions)
        dropped, self._bars.dropped_late = self._bars.dropped_late, 0
        if dropped:
            m.late_dropped.inc(dropped)
        off, self._bars.off_session = self._bars.off_session, 0
        if off:
            m.off_session.inc(off)


class _Traced:
    """A quote's trace headers, as consume_span reads them (no envelope parse per quote)."""

    __slots__ = ("correlation_id", "traceparent")

    def __init__(self, headers: dict[str, str] | None) -> None:
        h = headers or {}
        self.traceparent = h.get(TRACEPARENT)
        self.correlation_id = h.get(CORRELATION_ID)
