"""GET /v1/sync: which jobs a listing asks for, newest first, and its opaque cursor.

Jobs are ordered by (created_at, job_id) descending; a cursor names the last job a
page returned, so jobs created meanwhile never shift the later pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cursor import InvalidCursor, opaque, unwrap
from .jobs import JobStatus

DEFAULT_JOBS_LIMIT = 50
MAX_JOBS_LIMIT = 500
_VERSION = "j1"
_JOB_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True, slots=True)
class JobsCursor:
    created_at: int
    job_id: str

    def encode(self) -> str:
        return opaque(f"{_VERSION}:{self.created_at}:{self.job_id}")

    @classmethod
    def decode(cls, text: str) -> JobsCursor:
        version, _, rest = unwrap(text).partition(":")
        created, _, job_id = rest.partition(":")
        if version != _VERSION or not created.isdigit() or not _JOB_ID.match(job_id):
            raise InvalidCursor("not a cursor from next_cursor")
        return cls(int(created), job_id)


@dataclass(frozen=True, slots=True)
class JobsQuery:
    status: JobStatus | None
    symbol: str | None
    limit: int
    after: JobsCursor | None
