"""Sync jobs in MongoDB: read-modify-write inside the projection's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pymongo import DESCENDING, ReplaceOne

from pq_runtime.stores.adapters.mongo import MongoUnitOfWork

from ...model.job_listing import JobsQuery
from ...model.jobs import JobState, JobStatus
from .collections import JOBS, Db

_OPTIONAL = ("symbol", "interval", "bars", "error", "created_at", "updated_at", "expected",
             "started_at", "finished_at")  # fmt: skip


def _state(d: dict[str, Any]) -> JobState:
    return JobState(
        job_id=d["_id"],
        status=JobStatus(d["status"]),
        bars_fetched=int(d.get("bars_fetched", 0)),
        **{name: d.get(name) for name in _OPTIONAL},
    )


def _document(s: JobState) -> dict[str, Any]:
    return {
        "_id": s.job_id,
        "status": s.status.value,
        "bars_fetched": s.bars_fetched,
        **{name: getattr(s, name) for name in _OPTIONAL},
    }


class MongoJobsWriter:
    async def load(self, uow: MongoUnitOfWork, job_ids: Sequence[str]) -> dict[str, JobState]:
        ids = list(dict.fromkeys(job_ids))
        cursor = uow.db[JOBS].find({"_id": {"$in": ids}}, session=uow.session)
        return {d["_id"]: _state(d) async for d in cursor}

    async def save(self, uow: MongoUnitOfWork, states: Sequence[JobState]) -> None:
        if states:
            await uow.db[JOBS].bulk_write(
                [ReplaceOne({"_id": s.job_id}, _document(s), upsert=True) for s in states],
                ordered=False,
                session=uow.session,
            )


class MongoJobsReader:
    def __init__(self, db: Db) -> None:
        self._db = db

    async def get(self, job_id: str) -> JobState | None:
        doc = await self._db[JOBS].find_one({"_id": job_id})
        return None if doc is None else _state(doc)

    async def list(self, q: JobsQuery) -> list[JobState]:
        match: dict[str, Any] = {"created_at": {"$ne": None}}
        if q.status is not None:
            match["status"] = q.status.value
        if q.symbol is not None:
            match["symbol"] = q.symbol
        if q.after is not None:
            c, j = q.after.created_at, q.after.job_id
            match["$or"] = [{"created_at": {"$lt": c}}, {"created_at": c, "_id": {"$lt": j}}]
        cursor = (
            self._db[JOBS]
            .find(match)
            .sort([("created_at", DESCENDING), ("_id", DESCENDING)])
            .limit(q.limit)
        )
        return [_state(d) async for d in cursor]
