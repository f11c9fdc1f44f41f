"""PQ_BARS deliveries -> one BarBatch (rows reduced by the reconcile rule)."""

from __future__ import annotations

from collections.abc import Sequence

from pq_domain.events import BarCompleted, BarSynced, SymbolResolved
from pq_runtime.messaging import Delivery, PermanentError

from ..model.bar_rows import BarRow, BarSource, precedence, winners
from ..model.symbols import ChunkMark, SymbolMeta
from ..ports import BarBatch


def synced_rows(event: BarSynced, seq: int) -> list[BarRow]:
    symbol, interval = str(event.symbol), event.interval.value
    rank = precedence(BarSource.SYNCED, 0, seq)
    return [
        BarRow(symbol, interval, b.t, b.o, b.h, b.l, b.c, b.v, BarSource.SYNCED, 0, 0, seq, rank)
        for b in event.bars
    ]


def live_row(event: BarCompleted, seq: int) -> BarRow:
    b = event.bar
    return BarRow(
        str(event.symbol),
        event.interval.value,
        b.t, b.o, b.h, b.l, b.c, b.v,
        BarSource.LIVE,
        event.revision,
        event.ticks,
        seq,
        precedence(BarSource.LIVE, event.revision, seq),
    )  # fmt: skip


def symbol_meta(event: SymbolResolved, seq: int) -> SymbolMeta:
    return SymbolMeta(
        symbol=str(event.symbol),
        description=event.description,
        type=event.type,
        currency=event.currency,
        exchange=event.exchange,
        timezone=event.timezone,
        session=event.session,
        pricescale=event.pricescale,
        delayed=event.delayed,
        resolved_at=event.at,
        seq=seq,
    )


def bar_batch(deliveries: Sequence[Delivery]) -> BarBatch:
    """Decode a batch; a bad payload raises InvalidEvent (dead-lettered alone on retry)."""
    rows: list[BarRow] = []
    batch = BarBatch()
    for d in deliveries:
        kind = d.envelope.event_type
        if kind == BarCompleted.EVENT_TYPE:
            rows.append(live_row(BarCompleted.from_payload(d.data), d.stream_seq))
        elif kind == BarSynced.EVENT_TYPE:
            synced = BarSynced.from_payload(d.data)
            rows.extend(synced_rows(synced, d.stream_seq))
            batch.chunks.append(ChunkMark(synced.job_id, synced.chunk, synced.chunks))
        elif kind == SymbolResolved.EVENT_TYPE:
            batch.metas.append(symbol_meta(SymbolResolved.from_payload(d.data), d.stream_seq))
        else:
            raise PermanentError(f"unexpected event type {kind!r} on {d.envelope.subject}")
    batch.rows = winners(rows)
    return batch
