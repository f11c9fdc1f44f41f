"""Open the read models a store URL names: `sqlite:///path.db` or `mongodb://...`."""

from __future__ import annotations

from typing import Any

from ..ports import ReadModels
from ..settings import QuerySettings
from .sqlite.models import SqliteReadModels


async def open_read_models(settings: QuerySettings) -> ReadModels[Any]:
    url = settings.store_url
    if url.startswith("sqlite:///"):
        return await SqliteReadModels.open(
            url.removeprefix("sqlite:///"), settings.sqlite_read_workers
        )
    if url.startswith(("mongodb://", "mongodb+srv://")):
        from .mongo.models import MongoReadModels

        return await MongoReadModels.open(url, settings.mongo_db)
    raise ValueError(f"unsupported store url {url!r} (sqlite:///path or mongodb://...)")
