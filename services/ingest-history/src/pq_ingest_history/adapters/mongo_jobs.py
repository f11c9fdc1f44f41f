"""Sync job records in MongoDB (production), inside the unit of work's transaction."""

from __future__ import annotations

from dataclasses import asdict

from pq_runtime.stores.adapters.mongo import MongoUnitOfWork

from ..model.sync_job import SyncJob

COLLECTION = "ingest_history_sync_jobs"


class MongoSyncJobs:
    async def save(self, uow: MongoUnitOfWork, job: SyncJob) -> None:
        doc = {**asdict(job), "status": job.status.value}
        job_id = doc.pop("job_id")
        await uow.db[COLLECTION].replace_one(
            {"_id": job_id}, {"_id": job_id, **doc}, upsert=True, session=uow.session
        )
