"""Sync job handles: a job's state plus `wait()` and `refresh()` on the client that made it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .models import JobInfo

if TYPE_CHECKING:
    from .async_client import AsyncClient
    from .client import Client


@dataclass(frozen=True)
class Job(JobInfo):
    """A sync job (`client.sync(...)`, `client.job(id)`, `client.jobs()`).

    job = client.sync("NASDAQ:NVDA", "1h", bars=5000)
    job = job.wait(progress=True)   # a progress bar on stderr until done or failed
    print(job.status, job.bars)     # done 5000
    """

    client: Client | None = field(default=None, repr=False, compare=False)

    def refresh(self) -> Job:
        """The job's current state."""
        return self._client().job(self.job_id)

    def wait(
        self,
        *,
        progress: bool = False,
        timeout: float | None = None,
        raise_on_failure: bool = False,
    ) -> Job:
        """Block until the job is done or failed and return its final state.

        `progress=True` draws a progress bar (rich) on stderr; `timeout` (seconds) raises
        TimeoutError; `raise_on_failure=True` raises `SyncFailed` for a failed job."""
        return self._client().wait(
            self, progress=progress, timeout=timeout, raise_on_failure=raise_on_failure
        )

    def _client(self) -> Client:
        if self.client is None:
            raise RuntimeError("this Job was made without a client")
        return self.client


@dataclass(frozen=True)
class AsyncJob(JobInfo):
    """`Job` of an `AsyncClient`: `await job.wait()`."""

    client: AsyncClient | None = field(default=None, repr=False, compare=False)

    async def refresh(self) -> AsyncJob:
        return await self._client().job(self.job_id)

    async def wait(
        self,
        *,
        progress: bool = False,
        timeout: float | None = None,  # noqa: ASYNC109 - the twin of Client.wait's
        raise_on_failure: bool = False,
    ) -> AsyncJob:
        """As `Job.wait`, without blocking the event loop."""
        return await self._client().wait(
            self, progress=progress, timeout=timeout, raise_on_failure=raise_on_failure
        )

    def _client(self) -> AsyncClient:
        if self.client is None:
            raise RuntimeError("this AsyncJob was made without a client")
        return self.client
