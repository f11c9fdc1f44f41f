"""The MongoDB read models and the generation pointer of the bars model."""

from __future__ import annotations

from pymongo import ReturnDocument

from pq_runtime.stores.adapters.mongo import MongoStore

from .bar_reader import MongoBarModelReader
from .bar_writer import MongoBarModelWriter
from .collections import GENERATIONS, JOBS, Db, create_bar_model, drop_bar_model
from .jobs import MongoJobsReader, MongoJobsWriter

BARS_MODEL = "bars"


class MongoGenerations:
    def __init__(self, db: Db) -> None:
        self._db = db

    async def live(self) -> int:
        if JOBS not in await self._db.list_collection_names(filter={"name": JOBS}):
            await self._db.create_collection(JOBS)
        # GET /v1/sync lists newest first (idempotent: an existing index is kept).
        await self._db[JOBS].create_index([("created_at", -1), ("_id", -1)])
        doc = await self._db[GENERATIONS].find_one_and_update(
            {"_id": BARS_MODEL},
            {"$setOnInsert": {"generation": 1}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        generation = int(doc["generation"]) if doc else 1
        await create_bar_model(self._db, generation)
        return generation

    async def create(self, generation: int) -> None:
        await drop_bar_model(self._db, generation)
        await create_bar_model(self._db, generation)

    async def activate(self, generation: int) -> None:
        await self._db[GENERATIONS].update_one(
            {"_id": BARS_MODEL}, {"$set": {"generation": generation}}
        )

    async def drop(self, generation: int) -> None:
        await drop_bar_model(self._db, generation)


class MongoReadModels:
    def __init__(self, store: MongoStore) -> None:
        self._store = store
        self._generations = MongoGenerations(store.db)
        self._jobs_writer = MongoJobsWriter()
        self._jobs_reader = MongoJobsReader(store.db)

    @classmethod
    async def open(cls, url: str, db_name: str) -> MongoReadModels:
        store = await MongoStore.open(url, db_name)
        models = cls(store)
        await models.generations.live()
        return models

    @property
    def store(self) -> MongoStore:
        return self._store

    @property
    def generations(self) -> MongoGenerations:
        return self._generations

    @property
    def jobs_writer(self) -> MongoJobsWriter:
        return self._jobs_writer

    @property
    def jobs_reader(self) -> MongoJobsReader:
        return self._jobs_reader

    def bar_writer(self, generation: int) -> MongoBarModelWriter:
        return MongoBarModelWriter(generation)

    def bar_reader(self, generation: int) -> MongoBarModelReader:
        return MongoBarModelReader(self._store.db, generation)

    async def ping(self) -> None:
        await self._store.db.command("ping")

    async def purge_inbox(self, older_than_s: float) -> int:
        return await self._store.purge_inbox(older_than_s)

    async def close(self) -> None:
        await self._store.close()
