"""One contract for every read-model adapter: SQLite always, MongoDB where reachable."""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from pq_domain import Symbol
from pq_domain.events import SymbolResolved
from pq_query.adapters.sqlite.models import SqliteReadModels
from pq_query.model.bar_rows import BarSource, BarValues, precedence, winners
from pq_query.model.columnar import SCHEMA
from pq_query.model.jobs import JobChange, JobStatus, fold
from pq_query.model.symbols import ChunkMark, ChunkProgress, SymbolMeta
from pq_query.ports import BarBatch, ReadModels

M = 60_000


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


def row(t: int, close: float, source: BarSource, revision: int, seq: int) -> BarValues:
    return (
        "NYSE:BRK.B", "1m", t * M, close, close, close, close, 1.0, source, revision, 2, seq,
        precedence(source, revision, seq),
    )  # fmt: skip


def meta(at: int, seq: int, description: str) -> SymbolMeta:
    resolved = SymbolResolved(
        Symbol.parse("NYSE:BRK.B"), description, "stock", "USD", "NYSE", "America/New_York",
        "0930-1600", 100, False, at,
    )  # fmt: skip
    return SymbolMeta(resolved, seq)


async def write(models: ReadModels[Any], generation: int, batch: BarBatch) -> None:
    async with models.store.unit_of_work() as uow:
        await models.bar_writer(generation).apply(uow, batch)
        await uow.commit()


async def test_bars_keep_the_higher_precedence_and_cover_their_range(
    read_models: ReadModels[Any],
) -> None:
    g = await read_models.generations.live()
    first: list[BarValues] = [row(t, 1.0, BarSource.LIVE, 0, 1) for t in range(5)]
    await write(read_models, g, BarBatch(rows=first))
    await write(read_models, g, BarBatch(rows=[row(2, 2.0, BarSource.SYNCED, 0, 2)]))
    await write(read_models, g, BarBatch(rows=[row(2, 3.0, BarSource.LIVE, 9, 3)]))  # loses
    await write(read_models, g, BarBatch(rows=[row(3, 4.0, BarSource.LIVE, 1, 4)]))
    await write(read_models, g, BarBatch(rows=[row(3, 4.5, BarSource.LIVE, 0, 5)]))  # loses
    reader = read_models.bar_reader(g)
    asc = await reader.bars("NYSE:BRK.B", "1m", None, None, True, 100)
    assert [c for _, _, _, _, c, _ in asc] == [1.0, 1.0, 2.0, 4.0, 1.0]
    desc = await reader.bars("NYSE:BRK.B", "1m", 1 * M, 4 * M, False, 2)
    assert [t for t, *_ in desc] == [3 * M, 2 * M]
    assert await reader.close_at_or_before("NYSE:BRK.B", "1m", 3 * M + 5) == 4.0
    view = await reader.symbol("NYSE:BRK.B")
    assert view is not None
    (coverage,) = view.coverage
    assert (coverage.interval, coverage.first_t, coverage.last_t, coverage.bars) == (
        "1m", 0, 4 * M, 5,
    )  # fmt: skip


async def test_arrow_batches_hold_the_rows_of_the_range_in_order(
    read_models: ReadModels[Any],
) -> None:
    g = await read_models.generations.live()
    rows: list[BarValues] = [row(t, 1.0 + t / 7, BarSource.SYNCED, 0, t + 1) for t in range(25)]
    await write(read_models, g, BarBatch(rows=rows))
    reader = read_models.bar_reader(g)
    expected = await reader.bars("NYSE:BRK.B", "1m", 3 * M, 23 * M, True, 100)
    batches = [b async for b in reader.arrow_batches("NYSE:BRK.B", "1m", 3 * M, 23 * M, 8)]
    assert [b.num_rows for b in batches] in ([8, 8, 4], [8, 8, 4, 0])
    assert all(b.schema == SCHEMA for b in batches)
    table = pa.Table.from_batches(batches, schema=SCHEMA)
    got = [
        (int(r["t"].timestamp() * 1000), r["o"], r["h"], r["l"], r["c"], r["v"])
        for r in table.to_pylist()
    ]
    assert got == [tuple(r) for r in expected]
    assert [b async for b in reader.arrow_batches("NYSE:NONE", "1m", None, None, 8)] == []


async def test_the_latest_metadata_wins_and_chunks_are_counted_once(
    read_models: ReadModels[Any],
) -> None:
    g = await read_models.generations.live()
    chunks = [ChunkMark("job-1", 0, 2, 1000), ChunkMark("job-1", 0, 2, 1000)]
    await write(read_models, g, BarBatch(metas=[meta(10, 5, "new")], chunks=chunks))
    await write(read_models, g, BarBatch(metas=[meta(5, 9, "old")]))
    reader = read_models.bar_reader(g)
    view = await reader.symbol("NYSE:BRK.B")
    assert view is not None
    assert view.meta is not None
    assert view.meta.resolved.description == "new"
    assert [v.symbol for v in await reader.symbols()] == ["NYSE:BRK.B"]
    assert await reader.chunk_progress(["job-1", "job-2"]) == {"job-1": ChunkProgress(1, 2, 1000)}
    await write(read_models, g, BarBatch(chunks=[ChunkMark("job-1", 1, 2, 7)]))
    (progress,) = (await reader.chunk_progress(["job-1"])).values()
    assert (progress, progress.complete) == (ChunkProgress(2, 2, 1007), True)
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


def any_row(rng: random.Random, symbol: str, seq: int) -> BarValues:
    source = rng.choice([BarSource.SYNCED, BarSource.LIVE])
    revision = 0 if source is BarSource.SYNCED else rng.randrange(3)
    # Some rows share a seq (one BarSynced chunk): equals keep the first written.
    seq = seq - seq % 3 if source is BarSource.SYNCED else seq
    close = float(rng.randrange(100))
    return (
        symbol, "1m", rng.randrange(12) * M, close, close, close, close, 1.0, source,
        revision, 2, seq, precedence(source, revision, seq),
    )  # fmt: skip


async def test_batches_in_any_order_reach_the_rules_winners_and_their_coverage(
    read_models: ReadModels[Any],
) -> None:
    rng = random.Random(7)
    # Enough rows for batches of several multi-row statements (SQLite) and their rest.
    rows: list[BarValues] = [
        any_row(rng, rng.choice(["NYSE:A", "NYSE:B"]), seq) for seq in range(1, 700)
    ]
    # A key twice in one chunk (same seq, the top one): the first of the two stays.
    for t, close in ((3, 50.5), (3, 60.5), (4, 70.5), (4, 80.5)):
        r: BarValues = (
            "NYSE:A", "1m", t * M, close, close, close, close, 1.0, BarSource.SYNCED, 0, 2, 900,
            precedence(BarSource.SYNCED, 0, 900),
        )  # fmt: skip
        rows.insert(100 + t, r)
    g = await read_models.generations.live()
    for attempt in range(3):
        await read_models.generations.create(g + 1 + attempt)
        shuffled = rows if attempt == 0 else rng.sample(rows, len(rows))
        # Of equal precedences (one chunk's repeated t) the first written stays.
        expected = sorted(winners(shuffled), key=lambda r: (r[0], r[2]))
        cuts = sorted(rng.sample(range(1, len(rows)), attempt * 2))
        for part in (shuffled[a:b] for a, b in zip([0, *cuts], [*cuts, len(rows)], strict=True)):
            await write(read_models, g + 1 + attempt, BarBatch(rows=part * 2))  # and a replay
        reader = read_models.bar_reader(g + 1 + attempt)
        for symbol in ("NYSE:A", "NYSE:B"):
            mine = [r for r in expected if r[0] == symbol]
            stored = await reader.bars(symbol, "1m", None, None, True, 100)
            assert stored == [r[2:8] for r in mine], attempt
            view = await reader.symbol(symbol)
            assert view is not None
            (coverage,) = view.coverage
            assert (coverage.first_t, coverage.last_t, coverage.bars) == (
                mine[0][2], mine[-1][2], len(mine),
            )  # fmt: skip


async def test_coverage_grows_by_what_a_batch_inserts_and_no_more(
    read_models: ReadModels[Any],
) -> None:
    g = await read_models.generations.live()
    reader = read_models.bar_reader(g)

    async def coverage() -> tuple[int, int, int]:
        view = await reader.symbol("NYSE:BRK.B")
        assert view is not None
        (c,) = view.coverage
        return c.first_t, c.last_t, c.bars

    await write(read_models, g, BarBatch(rows=[row(t, 1.0, BarSource.LIVE, 0, t) for t in (5, 9)]))
    assert await coverage() == (5 * M, 9 * M, 2)
    # Inside the range, over a stored bar, beside one: two new bars, one replaced.
    later: list[BarValues] = [row(t, 2.0, BarSource.SYNCED, 0, 20) for t in (6, 9, 7)]
    await write(read_models, g, BarBatch(rows=later))
    assert await coverage() == (5 * M, 9 * M, 4)
    await write(read_models, g, BarBatch(rows=later))  # a replay
    assert await coverage() == (5 * M, 9 * M, 4)
    # Both ends move; a losing row changes nothing.
    ends = [row(0, 3.0, BarSource.LIVE, 0, 30), row(30, 3.0, BarSource.LIVE, 0, 31)]
    await write(read_models, g, BarBatch(rows=[*ends, row(9, 3.0, BarSource.LIVE, 5, 32)]))
    assert await coverage() == (0, 30 * M, 6)
    assert len(await reader.bars("NYSE:BRK.B", "1m", None, None, True, 100)) == 6
