"""Bars, symbols, chunks and coverage written in the projection's MongoDB transaction.

Each bar is one conditional upsert (an update pipeline): every field takes the incoming
value only when the incoming precedence is higher than the stored one (or nothing is
stored), so the reconcile rule holds without a read; all go in one bulk_write.
"""

from __future__ import annotations

from typing import Any

from pymongo import UpdateOne

from pq_runtime.stores.adapters.mongo import MongoUnitOfWork

from ...model.bar_rows import BarRow
from ...model.symbols import SymbolMeta
from ...ports import BarBatch
from .collections import bar_model_collections

_BAR_FIELDS = ("o", "h", "l", "c", "v", "src", "rev", "ticks", "seq", "p")
_META_FIELDS = (
    "description", "type", "currency", "exchange", "timezone", "session",
    "pricescale", "delayed", "resolved_at", "seq",
)  # fmt: skip


def _conditional_set(values: dict[str, Any], wins: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"$set": {k: {"$cond": [wins, {"$literal": v}, f"${k}"]} for k, v in values.items()}}]


def bar_update(r: BarRow) -> UpdateOne:
    values = dict(zip(_BAR_FIELDS, (r.o, r.h, r.l, r.c, r.v, r.source.value, r.revision,
                                    r.ticks, r.seq, r.precedence), strict=True))  # fmt: skip
    wins = {"$lt": [{"$ifNull": ["$p", -1]}, r.precedence]}
    return UpdateOne(
        {"s": r.symbol, "i": r.interval, "t": r.t}, _conditional_set(values, wins), upsert=True
    )


def meta_update(m: SymbolMeta) -> UpdateOne:
    values = {k: getattr(m, k) for k in _META_FIELDS}
    held_at = {"$ifNull": ["$resolved_at", -1]}
    wins = {
        "$or": [
            {"$lt": [held_at, m.resolved_at]},
            {"$and": [{"$eq": [held_at, m.resolved_at]}, {"$lt": ["$seq", m.seq]}]},
        ]
    }
    return UpdateOne({"_id": m.symbol}, _conditional_set(values, wins), upsert=True)


class MongoBarModelWriter:
    def __init__(self, generation: int) -> None:
        self.generation = generation
        self._n = bar_model_collections(generation)

    async def apply(self, uow: MongoUnitOfWork, batch: BarBatch) -> None:
        db, s, n = uow.db, uow.session, self._n
        if batch.rows:
            await db[n["bars"]].bulk_write(
                [bar_update(r) for r in batch.rows], ordered=False, session=s
            )
        if batch.metas:
            await db[n["symbols"]].bulk_write(
                [meta_update(m) for m in batch.metas], ordered=False, session=s
            )
        if batch.chunks:
            chunks = [
                UpdateOne(
                    {"_id": f"{c.job_id}:{c.chunk}"},
                    {"$setOnInsert": {"job_id": c.job_id, "chunk": c.chunk, "chunks": c.chunks}},
                    upsert=True,
                )
                for c in batch.chunks
            ]
            await db[n["chunks"]].bulk_write(chunks, ordered=False, session=s)
        for symbol, interval in sorted(batch.touched()):
            await self._refresh_coverage(uow, symbol, interval)

    async def _refresh_coverage(self, uow: MongoUnitOfWork, symbol: str, interval: str) -> None:
        """Recomputed from the rows (an index range), so exact and idempotent."""
        pipeline: list[dict[str, Any]] = [
            {"$match": {"s": symbol, "i": interval}},
            {"$group": {"_id": None, "first": {"$min": "$t"}, "last": {"$max": "$t"},
                        "bars": {"$sum": 1}}},
        ]  # fmt: skip
        cursor = await uow.db[self._n["bars"]].aggregate(pipeline, session=uow.session)
        found = [doc async for doc in cursor]
        if not found:
            return
        g = found[0]
        await uow.db[self._n["coverage"]].update_one(
            {"s": symbol, "i": interval},
            {"$set": {"first_t": g["first"], "last_t": g["last"], "bars": g["bars"]}},
            upsert=True,
            session=uow.session,
        )
