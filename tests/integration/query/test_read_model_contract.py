"""One contract for every read-model adapter: SQLite always, MongoDB where reachable."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from pq_query.adapters.sqlite.models import SqliteReadModels
from pq_query.model.bar_rows import BarRow, BarSource, precedence
from pq_query.model.jobs import JobChange, JobStatus, fold
from pq_query.model.symbols import ChunkMark, SymbolMeta
from pq_query.ports import BarBatch, ReadModels

from ..runtime.stores_under_test import mongodb_url

M = 60_000


@pytest.fixture(scope="module")
def mongo_url() -> Iterator[str]:
    with mongodb_url() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("mongodb", marks=pytest.mark.mongodb)])
async def read_models(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Any]:
    if request.param == "sqlite":
        models: ReadModels[Any] = await SqliteReadModels.open(str(tmp_path / "query.db"))
    else:
        from pq_query.adapters.mongo.models import MongoReadModels

        url = request.getfixturevalue("mongo_url")
        models = await MongoReadModels.open(url, f"pq_query_test_{uuid.uuid4().hex[:10]}")
    try:
        yield models
    finally:
        await models.close()


def row(t: int, close: float, source: BarSource, revision: int, seq: int) -> BarRow:
    return BarRow(
        "NYSE:BRK.B", "1m", t * M, close, close, close, close, 1.0, source, revision, 2, seq,
        precedence(source, revision, seq),
    )  # fmt: skip


def meta(at: int, seq: int, description: str) -> SymbolMeta:
    return SymbolMeta(
        "NYSE:BRK.B", description, "stock", "USD", "NYSE", "America/New_York", "0930-1600",
        100, False, at, seq,
    )  # fmt: skip


async def write(models: ReadModels[Any], generation: int, batch: BarBatch) -> None:
    async with models.store.unit_of_work() as uow:
        await models.bar_writer(generation).apply(uow, batch)
        await uow.commit()


async def test_bars_keep_the_higher_precedence_and_cover_their_range(
    read_models: ReadModels[Any],
) -> None:
    g = await read_models.generations.live()
    first = [row(t, 1.0, BarSource.LIVE, 0, 1) for t in range(5)]
    await write(read_models, g, BarBatch(rows=first))
    await write(read_models, g, BarBatch(rows=[row(2, 2.0, BarSource.SYNCED, 0, 2)]))
    await write(read_models, g, BarBatch(rows=[row(2, 3.0, BarSource.LIVE, 9, 3)]))  # loses
    await write(read_models, g, BarBatch(rows=[row(3, 4.0, BarSource.LIVE, 1, 4)]))
    await write(read_models, g, BarBatch(rows=[row(3, 4.5, BarSource.LIVE, 0, 5)]))  # loses
    reader = read_models.bar_reader(g)
    asc = await reader.bars("NYSE:BRK.B", "1m", None, None, True, 100)
    assert [b.c for b in asc] == [1.0, 1.0, 2.0, 4.0, 1.0]
    desc = await reader.bars("NYSE:BRK.B", "1m", 1 * M, 4 * M, False, 2)
    assert [b.t for b in desc] == [3 * M, 2 * M]
    assert await reader.close_at_or_before("NYSE:BRK.B", "1m", 3 * M + 5) == 4.0
    view = await reader.symbol("NYSE:BRK.B")
    assert view is not None
    (coverage,) = view.coverage
    assert (coverage.interval, coverage.first_t, coverage.last_t, coverage.bars) == (
        "1m", 0, 4 * M, 5,
    )  # fmt: skip


async def test_the_latest_metadata_wins_and_chunks_are_counted_once(
    read_models: ReadModels[Any],
) -> None:
    g = await read_models.generations.live()
    chunks = [ChunkMark("job-1", 0, 2), ChunkMark("job-1", 0, 2)]
    await write(read_models, g, BarBatch(metas=[meta(10, 5, "new")], chunks=chunks))
    await write(read_models, g, BarBatch(metas=[meta(5, 9, "old")]))
    reader = read_models.bar_reader(g)
    view = await reader.symbol("NYSE:BRK.B")
    assert view is not None
    assert view.meta is not None
    assert view.meta.description == "new"
    assert [v.symbol for v in await reader.symbols()] == ["NYSE:BRK.B"]
    assert await reader.chunks_applied("job-1") == (1, 2)
    await write(read_models, g, BarBatch(chunks=[ChunkMark("job-1", 1, 2)]))
    assert await reader.chunks_applied("job-1") == (2, 2)
    assert await reader.symbol("NYSE:NONE") is None


async def test_jobs_round_trip_and_generations_swap(read_models: ReadModels[Any]) -> None:
    changes = [JobChange("j", JobStatus.RUNNING, 2), JobChange("j", JobStatus.DONE, 3, bars=7)]
    async with read_models.store.unit_of_work() as uow:
        stored = await read_models.jobs_writer.load(uow, ["j"])
        await read_models.jobs_writer.save(uow, list(fold(stored, changes).values()))
        await uow.commit()
    state = await read_models.jobs_reader.get("j")
    assert state is not None
    assert (state.status, state.bars) == (JobStatus.DONE, 7)
    assert await read_models.jobs_reader.get("nope") is None

    g = await read_models.generations.live()
    await read_models.generations.create(g + 1)
    await write(read_models, g + 1, BarBatch(rows=[row(0, 1.0, BarSource.LIVE, 0, 1)]))
    await read_models.generations.activate(g + 1)
    await read_models.generations.drop(g)
    assert await read_models.generations.live() == g + 1
    assert len(await read_models.bar_reader(g + 1).dump()) == 2  # one bar, one coverage row
