"""Symbol metadata (from SymbolResolved) and per-interval coverage of the bars model."""

from __future__ import annotations

from dataclasses import dataclass

from pq_domain.events import SymbolResolved


@dataclass(frozen=True, slots=True)
class SymbolMeta:
    """A symbol's latest resolution: the later `resolved.at` wins, then the stream seq."""

    resolved: SymbolResolved
    seq: int

    @property
    def symbol(self) -> str:
        return str(self.resolved.symbol)


@dataclass(frozen=True, slots=True)
class Coverage:
    interval: str
    first_t: int
    last_t: int
    bars: int


@dataclass(frozen=True, slots=True)
class SymbolView:
    symbol: str
    meta: SymbolMeta | None
    coverage: tuple[Coverage, ...]


@dataclass(frozen=True, slots=True)
class ChunkMark:
    """One BarSynced chunk of a sync job, applied to the bars model."""

    job_id: str
    chunk: int
    chunks: int
    bars: int = 0  # bars the chunk carried (written to the bars model with it)


@dataclass(frozen=True, slots=True)
class ChunkProgress:
    """How much of a sync job's BarSynced chunks the bars model holds."""

    applied: int  # distinct chunks applied
    chunks: int  # chunks the job announced (0: none seen yet)
    bars: int  # bars those applied chunks carried

    @property
    def complete(self) -> bool:
        return self.chunks > 0 and self.applied >= self.chunks


NO_CHUNKS = ChunkProgress(0, 0, 0)
