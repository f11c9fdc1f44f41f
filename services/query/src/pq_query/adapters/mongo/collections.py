"""Collection names and indexes. The bars model's collections carry a generation suffix
(`bars_g3`) so that a rebuild fills a fresh set and swaps by moving one pointer document."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

GENERATIONS = "query_generations"
JOBS = "sync_jobs"
Db = AsyncDatabase[dict[str, Any]]


def bar_model_collections(generation: int) -> dict[str, str]:
    g = int(generation)
    return {k: f"{k}_g{g}" for k in ("bars", "coverage", "symbols", "chunks")}


async def create_bar_model(db: Db, generation: int) -> None:
    """Indexes first: they create the collections, which a transaction may not do with an
    index build."""
    n = bar_model_collections(generation)
    key = [("s", ASCENDING), ("i", ASCENDING), ("t", ASCENDING)]
    await db[n["bars"]].create_index(key, unique=True, name="symbol_interval_t")
    await db[n["coverage"]].create_index(
        [("s", ASCENDING), ("i", ASCENDING)], unique=True, name="symbol_interval"
    )
    for name in ("symbols", "chunks"):
        if name not in await db.list_collection_names(filter={"name": n[name]}):
            await db.create_collection(n[name])
    await db[n["chunks"]].create_index([("job_id", ASCENDING)], name="job")


async def drop_bar_model(db: Db, generation: int) -> None:
    for name in bar_model_collections(generation).values():
        await db.drop_collection(name)
