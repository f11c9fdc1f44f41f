"""Open the store a URL names: `sqlite:///path/to.db` or `mongodb://host/db?replicaSet=rs0`."""

from __future__ import annotations

from .adapters.mongo import MongoStore
from .adapters.sqlite import SqliteStore

Store = SqliteStore | MongoStore


async def open_store(url: str, *, default_db: str = "pocketquant") -> Store:
    if url.startswith("sqlite:///"):
        return await SqliteStore.open(url.removeprefix("sqlite:///"))
    if url.startswith(("mongodb://", "mongodb+srv://")):
        return await MongoStore.open(url, default_db=default_db)
    raise ValueError(f"unsupported store url {url!r} (sqlite:///path or mongodb://...)")
