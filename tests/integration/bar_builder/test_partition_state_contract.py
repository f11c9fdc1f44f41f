"""Contract of the partition-state port, run against every adapter that is reachable.

SQLite always; MongoDB where PQ_TEST_MONGODB_URL is set or Docker runs (otherwise each
MongoDB case is skipped with the reason). Symbol states, the tracking record and outbox
rows commit together, or not at all when the partition's fence has moved.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from pq_bar_builder.adapters.factory import open_partition_state
from pq_bar_builder.adapters.sqlite_partition_state import SqlitePartitionState
from pq_bar_builder.ports import PartitionFenced, StoredPartition
from pq_domain import Symbol
from pq_domain.events import QuoteReceived
from pq_domain.subjects import quotes_subject

from .partition_states import StateUnderTest, open_state_under_test

AAPL, MSFT = "NASDAQ:AAPL", "NASDAQ:MSFT"


@pytest.fixture(params=["sqlite", pytest.param("mongodb", marks=pytest.mark.mongodb)])
async def state_under_test(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[StateUnderTest]:
    """Each partition-state adapter on a fresh store, with the runtime store under it."""
    url = request.getfixturevalue("mongo_url") if request.param == "mongodb" else None
    async with open_state_under_test(request.param, tmp_path, url) as sut:
        yield sut


def _sorted(stored: StoredPartition) -> list[tuple[str, bytes]]:
    return sorted(stored.symbols)


async def _save(
    sut: StateUnderTest, fence: str, last_seq: int, symbols: list[tuple[str, bytes]], p: int = 0
) -> None:
    async with sut.state.transaction() as tx:
        quote = QuoteReceived(Symbol.parse(AAPL), 100.0, 10.0, 1_704_067_200_000 + last_seq)
        tx.outbox.add(quote, quotes_subject(quote.symbol))
        tx.save(p, fence, last_seq, symbols)
        await tx.commit()


async def test_a_new_partition_is_claimed_empty(state_under_test: StateUnderTest) -> None:
    claimed = await state_under_test.state.claim(3, "a:1")
    assert claimed == StoredPartition(last_seq=0, symbols=[])
    assert await state_under_test.state.load(3) == StoredPartition(last_seq=0, symbols=[])
    await state_under_test.state.ping()


async def test_touched_symbols_are_saved_and_restored(state_under_test: StateUnderTest) -> None:
    sut = state_under_test
    await sut.state.claim(0, "a:1")
    await sut.state.claim(1, "a:1")
    await _save(sut, "a:1", 5, [(AAPL, b"aapl-1"), (MSFT, b"msft-1")])
    await _save(sut, "a:1", 9, [(AAPL, b"aapl-2")])  # only the touched symbol is written
    await _save(sut, "a:1", 4, [(AAPL, b"other-partition")], p=1)

    assert _sorted(await sut.state.load(0)) == [(AAPL, b"aapl-2"), (MSFT, b"msft-1")]
    taken_over = await sut.state.claim(0, "b:2")  # a new owner restores the same state
    assert taken_over.last_seq == 9
    assert _sorted(taken_over) == [(AAPL, b"aapl-2"), (MSFT, b"msft-1")]
    assert (await sut.state.load(1)).symbols == [(AAPL, b"other-partition")]
    assert await sut.pending_outbox_rows() == 3


async def test_the_last_applied_sequence_is_tracked(state_under_test: StateUnderTest) -> None:
    sut = state_under_test
    await sut.state.claim(2, "a:1")
    await _save(sut, "a:1", 10, [(AAPL, b"s")], p=2)
    assert (await sut.state.load(2)).last_seq == 10
    await _save(sut, "a:1", 25, [], p=2)  # a batch of poison only: no symbol touched
    stored = await sut.state.load(2)
    assert stored == StoredPartition(last_seq=25, symbols=[(AAPL, b"s")])
    assert (await sut.state.claim(2, "b:2")).last_seq == 25  # a claim keeps the position


async def test_a_fenced_commit_writes_nothing(state_under_test: StateUnderTest) -> None:
    sut = state_under_test
    await sut.state.claim(0, "old:1")
    await _save(sut, "old:1", 7, [(AAPL, b"before")])
    await sut.state.claim(0, "new:2")  # takeover: the old owner is fenced off

    with pytest.raises(PartitionFenced):
        await _save(sut, "old:1", 8, [(AAPL, b"stale"), (MSFT, b"stale")])

    assert await sut.state.load(0) == StoredPartition(last_seq=7, symbols=[(AAPL, b"before")])
    assert await sut.pending_outbox_rows() == 1  # only the first, unfenced commit's row
    await _save(sut, "new:2", 8, [(AAPL, b"after")])  # the new owner writes on
    assert await sut.state.load(0) == StoredPartition(last_seq=8, symbols=[(AAPL, b"after")])


async def test_an_unclaimed_partition_is_fenced(state_under_test: StateUnderTest) -> None:
    with pytest.raises(PartitionFenced):
        await _save(state_under_test, "a:1", 1, [(AAPL, b"s")], p=5)
    assert await state_under_test.state.load(5) == StoredPartition(last_seq=0, symbols=[])
    assert await state_under_test.pending_outbox_rows() == 0


async def test_saving_the_same_batch_again_is_idempotent(
    state_under_test: StateUnderTest,
) -> None:
    sut = state_under_test
    await sut.state.claim(0, "a:1")
    batch = [(AAPL, b"aapl"), (MSFT, b"msft")]
    await _save(sut, "a:1", 12, batch)
    first = await sut.state.load(0)
    await _save(sut, "a:1", 12, batch)  # a replay after a crash between commit and ack
    again = await sut.state.load(0)
    assert again.last_seq == first.last_seq == 12
    assert _sorted(again) == _sorted(first) == sorted(batch)


async def test_reopening_keeps_the_state(state_under_test: StateUnderTest) -> None:
    """Schema and indexes are created idempotently at every start."""
    sut = state_under_test
    await sut.state.claim(0, "a:1")
    await _save(sut, "a:1", 3, [(AAPL, b"s")])
    reopened = await sut.reopened()
    assert await reopened.load(0) == StoredPartition(last_seq=3, symbols=[(AAPL, b"s")])


async def test_the_store_url_picks_the_adapter(tmp_path: Path) -> None:
    store, state = await open_partition_state(f"sqlite:///{tmp_path / 'bb.db'}")
    try:
        assert isinstance(state, SqlitePartitionState)
    finally:
        await store.close()
    with pytest.raises(ValueError, match="unsupported store url"):
        await open_partition_state("postgres://localhost/pq")
