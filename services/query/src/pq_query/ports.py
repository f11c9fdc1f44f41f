"""Ports of the read models (one per need), implemented by adapters/sqlite and adapters/mongo.

Writers join the unit of work of the projection's batch (`U`: the adapter's UoW), so
read-model rows and the inbox (tracking) records commit in one transaction. Readers
never join a transaction: they read committed data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from pq_runtime.stores import UnitOfWorkFactory

from .model.bar_rows import BarRow
from .model.fill import StoredBar
from .model.jobs import JobState
from .model.symbols import ChunkMark, SymbolMeta, SymbolView

U_contra = TypeVar("U_contra", contravariant=True)


@dataclass(slots=True)
class BarBatch:
    """What one projected batch writes to the bars model (rows already reduced)."""

    rows: list[BarRow] = field(default_factory=list)
    metas: list[SymbolMeta] = field(default_factory=list)
    chunks: list[ChunkMark] = field(default_factory=list)

    def touched(self) -> set[tuple[str, str]]:
        return {(r.symbol, r.interval) for r in self.rows}

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
        """Stored bars with low <= t < high, ordered by t, at most `limit`."""
        ...

    async def close_at_or_before(self, symbol: str, interval: str, t: int) -> float | None: ...

    async def symbols(self) -> list[SymbolView]: ...

    async def symbol(self, symbol: str) -> SymbolView | None: ...

    async def chunks_applied(self, job_id: str) -> tuple[int, int]:
        """(distinct chunks applied, chunks the job announced) for a sync job."""
        ...

    async def dump(self) -> list[tuple[object, ...]]:
        """Every row of the model in key order (rebuild equality checks)."""
        ...


class JobsWriter(Protocol[U_contra]):
    async def load(self, uow: U_contra, job_ids: Sequence[str]) -> dict[str, JobState]: ...

    async def save(self, uow: U_contra, states: Sequence[JobState]) -> None: ...


class JobsReader(Protocol):
    async def get(self, job_id: str) -> JobState | None: ...


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

    async def close(self) -> None: ...
