"""Tiny fakes with visible state: a store that records commits, a history source, job records."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType

from pq_domain import Bar
from pq_domain.events import SymbolResolved
from pq_ingest_history.model.sync_job import SyncJob
from pq_ingest_history.ports import FetchedHistory, HistoryQuery, Progress
from pq_runtime.envelope import Envelope
from pq_runtime.stores import OutboxBuffer


class FakeUnitOfWork:
    def __init__(self, store: FakeStore) -> None:
        self._store = store
        self._outbox = OutboxBuffer()
        self._inbox: list[tuple[str, str]] = []
        self.jobs: list[SyncJob] = []

    @property
    def outbox(self) -> OutboxBuffer:
        return self._outbox

    async def __aenter__(self) -> FakeUnitOfWork:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    async def seen(self, consumer: str, event_ids: Sequence[str]) -> set[str]:
        return {e for e in event_ids if (consumer, e) in self._store.inbox}

    def mark_processed(self, consumer: str, event_ids: Iterable[str]) -> None:
        self._inbox.extend((consumer, e) for e in event_ids)

    async def commit(self) -> None:
        self._store.inbox.update(self._inbox)
        self._store.published.extend(p.envelope for p in self._outbox.pending)
        self._store.jobs.update({j.job_id: j for j in self.jobs})
        self._store.commits += 1

    async def rollback(self) -> None:
        return None


@dataclass
class FakeStore:
    inbox: set[tuple[str, str]] = field(default_factory=set)
    published: list[Envelope] = field(default_factory=list)  # outbox rows committed, in order
    jobs: dict[str, SyncJob] = field(default_factory=dict)
    commits: int = 0

    def unit_of_work(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self)

    def types(self) -> list[str]:
        return [e.event_type for e in self.published]


class FakeJobs:
    async def save(self, uow: FakeUnitOfWork, job: SyncJob) -> None:
        uow.jobs.append(job)


def resolved(query: HistoryQuery) -> SymbolResolved:
    return SymbolResolved(
        query.symbol,
        "desc",
        "crypto",
        "USD",
        query.symbol.exchange,
        "Etc/UTC",
        "24x7",
        100,
        False,
        0,
    )


@dataclass
class FakeHistory:
    """Answers with hourly bars ending at `newest_t`, after raising `errors` in turn."""

    newest_t: int
    errors: list[Exception] = field(default_factory=list)
    queries: list[HistoryQuery] = field(default_factory=list)

    async def fetch(
        self, query: HistoryQuery, on_progress: Progress | None = None
    ) -> FetchedHistory:
        self.queries.append(query)
        if self.errors:
            raise self.errors.pop(0)
        count = query.bars or 10
        if on_progress is not None:  # two rounds, as a provider paging older bars
            await on_progress(count // 2)
            await on_progress(count)
        bars = tuple(
            Bar(self.newest_t - i * 3_600_000, 1.0, 2.0, 0.5, 1.5, 10.0)
            for i in reversed(range(count))
        )
        return FetchedHistory(bars, resolved(query), "24x7", "Etc/UTC")
