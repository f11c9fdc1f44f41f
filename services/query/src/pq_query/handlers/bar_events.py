"""PQ_BARS deliveries -> one BarBatch: bar rows in stream order, metadata, chunk marks."""

from __future__ import annotations

from collections.abc import Sequence

from pq_domain.events import BarCompleted, BarSynced, SymbolResolved
from pq_runtime.messaging import Delivery, PermanentError

from ..model.bar_rows import BarSource, BarValues, precedence
from ..model.symbols import ChunkMark, SymbolMeta
from ..ports import BarBatch
from .synced_rows import synced_rows

_LIVE = BarSource.LIVE.value


def live_row(event: BarCompleted, seq: int) -> BarValues:
    b = event.bar
    return (
        str(event.symbol),
        event.interval.value,
        b.t, b.o, b.h, b.l, b.c, b.v,
        _LIVE,
        event.revision,
        event.ticks,
        seq,
        precedence(BarSource.LIVE, event.revision, seq),
    )  # fmt: skip


def symbol_meta(event: SymbolResolved, seq: int) -> SymbolMeta:
    return SymbolMeta(event, seq)


def bar_batch(deliveries: Sequence[Delivery]) -> BarBatch:
    """Decode a batch; a bad payload raises InvalidEvent (dead-lettered alone on retry)."""
    batch = BarBatch()
    rows = batch.rows
    for d in deliveries:
        kind = d.envelope.event_type
        if kind == BarSynced.EVENT_TYPE:
            head, synced = synced_rows(d.data, d.stream_seq)
            rows.extend(synced)
            batch.chunks.append(ChunkMark(head.job_id, head.chunk, head.chunks, len(synced)))
        elif kind == BarCompleted.EVENT_TYPE:
            rows.append(live_row(BarCompleted.from_payload(d.data), d.stream_seq))
        elif kind == SymbolResolved.EVENT_TYPE:
            batch.metas.append(symbol_meta(SymbolResolved.from_payload(d.data), d.stream_seq))
        else:
            raise PermanentError(f"unexpected event type {kind!r} on {d.envelope.subject}")
    return batch
