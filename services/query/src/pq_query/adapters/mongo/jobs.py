"""Sync jobs in MongoDB: read-modify-write inside the projection's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pymongo import ReplaceOne

from pq_runtime.stores.adapters.mongo import MongoUnitOfWork

from ...model.jobs import JobState, JobStatus
from .collections import JOBS, Db


def _state(d: dict[str, Any]) -> JobState:
    return JobState(
        job_id=d["_id"],
        status=JobStatus(d["status"]),
        symbol=d.get("symbol"),
        interval=d.get("interval"),
        bars=d.get("bars"),
        error=d.get("error"),
        created_at=d.get("created_at"),
        updated_at=d.get("updated_at"),
    )


def _document(s: JobState) -> dict[str, Any]:
    return {
        "_id": s.job_id,
        "status": s.status.value,
        "symbol": s.symbol,
        "interval": s.interval,
        "bars": s.bars,
        "error": s.error,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
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
