"""Ports of the read models (one per need), implemented by adapters/sqlite and adapters/mongo.

Writers join the unit of work of the projection's batch (`U`: the adapter's UoW), so
read-model rows and the inbox (tracking) records commit in one transaction. Readers
never join a transaction: they read committed data.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import Protocol, TypeVar

import pyarrow as pa

from pq_runtime.stores import UnitOfWorkFactory

from .model.bar_rows import BarValues
from .model.fill import StoredBar
from .model.job_listing import JobsQuery
from .model.jobs import JobState
from .model.symbols import ChunkMark, ChunkProgress, SymbolMeta, SymbolView

U_contra = TypeVar("U_contra", contravariant=True)
SeriesKey = tuple[str, str]  # (symbol, interval)
_series: Callable[[BarValues], SeriesKey] = itemgetter(0, 1)
_t: Callable[[BarValues], int] = itemgetter(2)


@dataclass(slots=True)
class BarBatch:
    """What one projected batch writes to the bars model.

    `rows` are in stream order and may repeat a key: the writers apply the reconcile
    rule row by row (of equal precedences the first stays), so nothing is reduced first."""

    rows: list[BarValues] = field(default_factory=list)
    metas: list[SymbolMeta] = field(default_factory=list)
    chunks: list[ChunkMark] = field(default_factory=list)

    def spans(self) -> dict[SeriesKey, tuple[int, int]]:
        """(first t, last t) of the rows per (symbol, interval), in first-seen order.

        Rows of one key come in runs (a BarSynced chunk is one), so this works per run
        with C-level helpers rather than per row in Python."""
        out: dict[SeriesKey, tuple[int, int]] = {}
        for key, run in groupby(self.rows, _series):
            ts = list(map(_t, run))
            low, high = min(ts), max(ts)
            held = out.get(key)
            out[key] = (low, high) if held is None else (min(held[0], low), max(held[1], high))
        return out

    def touched(self) -> set[SeriesKey]:
        return set(map(_series, self.rows))

    def extend(self, other: BarBatch) -> None:
        self.rows.extend(other.rows)
        self.metas.extend(other.metas)
        self.chunks.extend(other.chunks)

    def __bool__(self) -> bool:
        return bool(self.rows or self.metas or self.chunks)


class BarModelWriter(Protocol[U_contra]):
    async def apply(self, uow: U_contra, batch: BarBatch) -> None:
        """Upsert rows by (symbol, interval, t) keeping the higher precedence, upsert the
        latest metadata, record chunks, refresh the coverage of touched keys."""
        ...


class BarModelReader(Protocol):
    async def bars(
        self, symbol: str, interval: str, low: int | None, high: int | None, asc: bool, limit: int
    ) -> list[StoredBar]:
        """Stored bars with low <= t < high, ordered by t, at most `limit`, as the driver
        returns them (plain tuples: a page is read and encoded with no object per bar)."""
        ...

    def arrow_batches(
        self, symbol: str, interval: str, low: int | None, high: int | None, size: int
    ) -> AsyncIterator[pa.RecordBatch]:
        """Stored bars with low <= t < high, ascending, as batches of `columnar.SCHEMA` of
        at most `size` rows (the bulk export: one batch in memory at a time)."""
        ...

    async def close_at_or_before(self, symbol: str, interval: str, t: int) -> float | None: ...

    async def symbols(self) -> list[SymbolView]: ...

    async def symbol(self, symbol: str) -> SymbolView | None: ...

    async def chunk_progress(self, job_ids: Sequence[str]) -> dict[str, ChunkProgress]:
        """The applied chunks of each sync job that has any (others are absent)."""
        ...

    async def dump(self) -> list[tuple[object, ...]]:
        """Every row of the model in key order (rebuild equality checks)."""
        ...


class JobsWriter(Protocol[U_contra]):
    async def load(self, uow: U_contra, job_ids: Sequence[str]) -> dict[str, JobState]: ...

    async def save(self, uow: U_contra, states: Sequence[JobState]) -> None: ...


class JobsReader(Protocol):
    async def get(self, job_id: str) -> JobState | None: ...

    async def list(self, q: JobsQuery) -> list[JobState]:
        """Jobs newest first (created_at, then job_id, descending), after `q.after`."""
        ...


class Generations(Protocol):
    """The live generation of the bars model, and fresh ones for a rebuild."""

    async def live(self) -> int: ...

    async def create(self, generation: int) -> None: ...

    async def activate(self, generation: int) -> None: ...

    async def drop(self, generation: int) -> None: ...


U = TypeVar("U")


class ReadModels(Protocol[U]):
    """One adapter's read models: the store they commit through and their parts."""

    @property
    def store(self) -> UnitOfWorkFactory[U]: ...

    @property
    def generations(self) -> Generations: ...

    @property
    def jobs_writer(self) -> JobsWriter[U]: ...

    @property
    def jobs_reader(self) -> JobsReader: ...

    def bar_writer(self, generation: int) -> BarModelWriter[U]: ...

    def bar_reader(self, generation: int) -> BarModelReader: ...

    async def ping(self) -> None: ...

    async def purge_inbox(self, older_than_s: float) -> int:
        """Forget the consumers' processed event ids older than that; how many were."""
        ...

    async def close(self) -> None: ...
