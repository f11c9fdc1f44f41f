"""Reads of the MongoDB bars model (bars pages, symbols with coverage, chunk progress)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

import pyarrow as pa
from pymongo import ASCENDING, DESCENDING

from pq_domain import Symbol
from pq_domain.events import SymbolResolved

from ...model.columnar import batches_of_rows
from ...model.fill import StoredBar
from ...model.symbols import NO_CHUNKS, ChunkProgress, Coverage, SymbolMeta, SymbolView
from .collections import Db, bar_model_collections

_FIELDS = {"_id": 0, "t": 1, "o": 1, "h": 1, "l": 1, "c": 1, "v": 1}


def _meta(d: dict[str, Any]) -> SymbolMeta:
    resolved = SymbolResolved(
        symbol=Symbol.parse(d["_id"]),
        description=d["description"],
        type=d["type"],
        currency=d["currency"],
        exchange=d["exchange"],
        timezone=d["timezone"],
        session=d["session"],
        pricescale=int(d["pricescale"]),
        delayed=bool(d["delayed"]),
        at=int(d["resolved_at"]),
    )
    return SymbolMeta(resolved, seq=int(d["seq"]))


class MongoBarModelReader:
    def __init__(self, db: Db, generation: int) -> None:
        self._db = db
        self.generation = generation
        self._n = bar_model_collections(generation)

    async def bars(
        self, symbol: str, interval: str, low: int | None, high: int | None, asc: bool, limit: int
    ) -> list[StoredBar]:
        t: dict[str, int] = {}
        if low is not None:
            t["$gte"] = low
        if high is not None:
            t["$lt"] = high
        query: dict[str, Any] = {"s": symbol, "i": interval}
        if t:
            query["t"] = t
        cursor = (
            self._db[self._n["bars"]]
            .find(query, _FIELDS)
            .sort("t", ASCENDING if asc else DESCENDING)
            .limit(limit)
        )
        return [(d["t"], d["o"], d["h"], d["l"], d["c"], d["v"]) async for d in cursor]

    async def close_at_or_before(self, symbol: str, interval: str, t: int) -> float | None:
        doc = await self._db[self._n["bars"]].find_one(
            {"s": symbol, "i": interval, "t": {"$lte": t}}, {"c": 1}, sort=[("t", DESCENDING)]
        )
        return None if doc is None else float(doc["c"])

    def arrow_batches(
        self, symbol: str, interval: str, low: int | None, high: int | None, size: int
    ) -> AsyncIterator[pa.RecordBatch]:
        async def read(lo: int | None, hi: int | None, limit: int) -> list[StoredBar]:
            return await self.bars(symbol, interval, lo, hi, True, limit)

        return batches_of_rows(read, low, high, size)

    async def symbols(self) -> list[SymbolView]:
        return await self._views(None)

    async def symbol(self, symbol: str) -> SymbolView | None:
        views = await self._views(symbol)
        return views[0] if views else None

    async def _views(self, only: str | None) -> list[SymbolView]:
        metas = {
            d["_id"]: _meta(d)
            async for d in self._db[self._n["symbols"]].find({"_id": only} if only else {})
        }
        coverage: dict[str, list[Coverage]] = {}
        async for d in self._db[self._n["coverage"]].find({"s": only} if only else {}):
            coverage.setdefault(d["s"], []).append(
                Coverage(d["i"], d["first_t"], d["last_t"], d["bars"])
            )
        names = sorted(set(metas) | set(coverage))
        return [SymbolView(s, metas.get(s), tuple(coverage.get(s, ()))) for s in names]

    async def chunk_progress(self, job_ids: Sequence[str]) -> dict[str, ChunkProgress]:
        ids = list(dict.fromkeys(job_ids))
        out: dict[str, ChunkProgress] = {}
        async for d in self._db[self._n["chunks"]].find({"job_id": {"$in": ids}}):
            held = out.get(d["job_id"], NO_CHUNKS)
            out[d["job_id"]] = ChunkProgress(
                held.applied + 1,
                max(held.chunks, int(d["chunks"])),
                held.bars + int(d.get("bars", 0)),
            )
        return out

    async def dump(self) -> list[tuple[object, ...]]:
        n = self._n
        out: list[tuple[object, ...]] = []
        specs = [
            ("bar", "bars", [("s", 1), ("i", 1), ("t", 1)]),
            ("coverage", "coverage", [("s", 1), ("i", 1)]),
            ("symbol", "symbols", [("_id", 1)]),
            ("chunk", "chunks", [("_id", 1)]),
        ]
        for label, name, order in specs:
            async for d in self._db[n[name]].find({}).sort(order):
                if label in ("bar", "coverage"):
                    d.pop("_id", None)  # ObjectIds differ between generations
                out.append((label, *sorted(d.items())))
        return out
