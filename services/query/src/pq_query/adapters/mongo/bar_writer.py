"""Bars, symbols, chunks and coverage written in the projection's MongoDB transaction.

Each bar row is two plain updates in one ordered bulk_write, with the rule in their
filters and no read: the first replaces the values only where the stored precedence is
lower (`p < incoming`), the second inserts the document where the key is absent
(`$setOnInsert`, upsert). Neither can fail on the unique key inside the transaction (an
upsert whose filter also named `p` would, when a higher precedence is stored). Ordered,
the pairs apply in stream order, the rule row by row as in SQLite.

Coverage is incremental: the second updates' upserts are exactly the documents the
batch inserted, counted per (symbol, interval) and added with `$inc`, beside `$min`
and `$max` of the batch's t range. A replay inserts nothing and adds 0.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pymongo import UpdateOne

from pq_runtime.stores.adapters.mongo import MongoUnitOfWork

from ...model.bar_rows import BarValues
from ...model.symbols import ChunkMark, SymbolMeta
from ...ports import BarBatch, SeriesKey
from .collections import bar_model_collections

_VALUE_FIELDS = ("o", "h", "l", "c", "v", "src", "rev", "ticks", "seq", "p")
_META_FIELDS = (
    "description", "type", "currency", "exchange", "timezone", "session",
    "pricescale", "delayed",
)  # fmt: skip


def bar_updates(r: BarValues) -> tuple[UpdateOne, UpdateOne]:
    """(replace the values if the stored row ranks lower, insert the row if absent)."""
    symbol, interval, t, *values = r
    doc = dict(zip(_VALUE_FIELDS, values, strict=True))
    outranked = {"s": symbol, "i": interval, "t": t, "p": {"$lt": r[12]}}
    return (
        UpdateOne(outranked, {"$set": doc}),
        UpdateOne({"s": symbol, "i": interval, "t": t}, {"$setOnInsert": doc}, upsert=True),
    )


def meta_update(m: SymbolMeta) -> UpdateOne:
    resolved_at = m.resolved.at
    values = {k: getattr(m.resolved, k) for k in _META_FIELDS}
    values |= {"resolved_at": resolved_at, "seq": m.seq}
    held_at = {"$ifNull": ["$resolved_at", -1]}
    wins = {
        "$or": [
            {"$lt": [held_at, resolved_at]},
            {"$and": [{"$eq": [held_at, resolved_at]}, {"$lt": ["$seq", m.seq]}]},
        ]
    }
    update = [{"$set": {k: {"$cond": [wins, {"$literal": v}, f"${k}"]} for k, v in values.items()}}]
    return UpdateOne({"_id": m.symbol}, update, upsert=True)


class MongoBarModelWriter:
    def __init__(self, generation: int) -> None:
        self.generation = generation
        self._n = bar_model_collections(generation)

    async def apply(self, uow: MongoUnitOfWork, batch: BarBatch) -> None:
        db, s, n = uow.db, uow.session, self._n
        if batch.rows:
            ops: list[UpdateOne] = []
            for r in batch.rows:
                ops.extend(bar_updates(r))
            result = await db[n["bars"]].bulk_write(ops, ordered=True, session=s)
            # Op 2k + 1 is row k's insert-if-absent.
            added = Counter(batch.rows[i // 2][:2] for i in result.upserted_ids or {})
            spans = batch.spans().items()
            coverage = [_coverage_update(key, span, added[key]) for key, span in spans]
            await db[n["coverage"]].bulk_write(coverage, ordered=False, session=s)
        if batch.metas:
            await db[n["symbols"]].bulk_write(
                [meta_update(m) for m in batch.metas], ordered=False, session=s
            )
        if batch.chunks:
            chunks = [
                UpdateOne(
                    {"_id": f"{c.job_id}:{c.chunk}"},
                    {"$setOnInsert": _chunk_document(c)},
                    upsert=True,
                )
                for c in batch.chunks
            ]
            await db[n["chunks"]].bulk_write(chunks, ordered=False, session=s)


def _chunk_document(c: ChunkMark) -> dict[str, Any]:
    return {"job_id": c.job_id, "chunk": c.chunk, "chunks": c.chunks, "bars": c.bars}


def _coverage_update(key: SeriesKey, span: tuple[int, int], added: int) -> UpdateOne:
    symbol, interval = key
    update: dict[str, Any] = {
        "$min": {"first_t": span[0]},
        "$max": {"last_t": span[1]},
        "$inc": {"bars": added},
    }
    return UpdateOne({"s": symbol, "i": interval}, update, upsert=True)
