"""A query.db made before job progress and chunk bar counts opens and gains the columns."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pq_query.adapters.sqlite.models import SqliteReadModels
from pq_query.api.job_bodies import job_public
from pq_query.model.job_listing import JobsQuery

OLD_SCHEMA = """
CREATE TABLE query_generations (model TEXT PRIMARY KEY, generation INTEGER NOT NULL);
INSERT INTO query_generations VALUES ('bars', 1);
CREATE TABLE sync_jobs (
    job_id TEXT PRIMARY KEY, status TEXT NOT NULL, symbol TEXT, interval TEXT,
    bars INTEGER, error TEXT, created_at INTEGER, updated_at INTEGER
);
INSERT INTO sync_jobs VALUES ('old-job', 'done', 'NASDAQ:AAPL', '1h', 10, NULL, 5, 6);
CREATE TABLE chunks_g1 (
    job_id TEXT NOT NULL, chunk INTEGER NOT NULL, chunks INTEGER NOT NULL,
    PRIMARY KEY (job_id, chunk)
) WITHOUT ROWID;
INSERT INTO chunks_g1 VALUES ('old-job', 0, 1);
"""


async def test_an_older_database_gains_the_new_columns(tmp_path: Path) -> None:
    path = tmp_path / "query.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(OLD_SCHEMA)
    models = await SqliteReadModels.open(str(path))
    try:
        (job,) = await models.jobs_reader.list(JobsQuery(None, None, 10, None))
        assert (job.job_id, job.bars, job.bars_fetched, job.started_at) == ("old-job", 10, 0, None)
        progress = await models.bar_reader(1).chunk_progress(["old-job"])
        assert progress["old-job"].complete
        assert job_public(job, progress["old-job"]).progress.bars_written == 10
    finally:
        await models.close()
