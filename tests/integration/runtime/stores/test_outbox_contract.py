"""Contract: the relay's side of the outbox (claims with leases, per-key order, retention)."""

from __future__ import annotations

import time

from pq_runtime.stores.records import SentMark

from ..events import quote_envelope
from ..stores_under_test import StoreUnderTest


async def _append(sut: StoreUnderTest, items: list[tuple[int, str]]) -> None:
    async with sut.store.unit_of_work() as uow:
        for i, key in items:
            uow.outbox.append(quote_envelope(i), partition_key=key)
        await uow.commit()


async def test_claim_returns_pending_rows_in_order(store_under_test: StoreUnderTest) -> None:
    sut = store_under_test
    await _append(sut, [(i, "k") for i in range(5)])
    rows = await sut.store.outbox.claim("a", 3, 30.0)
    assert [r.envelope.event_id for r in rows] == [quote_envelope(i).event_id for i in range(3)]
    assert [r.seq for r in rows] == sorted(r.seq for r in rows)


async def test_a_leased_key_is_skipped_by_other_relays(store_under_test: StoreUnderTest) -> None:
    sut = store_under_test
    await _append(sut, [(0, "k1"), (1, "k1"), (2, "k2"), (3, "k1"), (4, "k2")])
    a = await sut.store.outbox.claim("a", 2, 30.0)
    assert {r.partition_key for r in a} == {"k1"}
    b = await sut.store.outbox.claim("b", 10, 30.0)
    # b gets k2 only: k1 is leased to a, and b must not jump ahead of a's rows.
    assert [r.envelope.event_id for r in b] == [quote_envelope(i).event_id for i in (2, 4)]
    assert await sut.store.outbox.claim("c", 10, 30.0) == []


async def test_an_expired_lease_can_be_taken_over(store_under_test: StoreUnderTest) -> None:
    sut = store_under_test
    await _append(sut, [(0, "k"), (1, "k")])
    assert len(await sut.store.outbox.claim("a", 10, -1.0)) == 2  # lease already over
    assert len(await sut.store.outbox.claim("b", 10, 30.0)) == 2


async def test_released_rows_are_claimable_again(store_under_test: StoreUnderTest) -> None:
    sut = store_under_test
    await _append(sut, [(0, "k")])
    [row] = await sut.store.outbox.claim("a", 10, 30.0)
    await sut.store.outbox.release("a", [row.seq])
    assert [r.seq for r in await sut.store.outbox.claim("b", 10, 30.0)] == [row.seq]


async def test_sent_rows_leave_the_backlog_and_are_kept_for_retention(
    store_under_test: StoreUnderTest,
) -> None:
    sut = store_under_test
    started = time.time()
    await _append(sut, [(0, "k"), (1, "k")])
    stats = await sut.store.outbox.stats()
    assert stats.pending == 2
    assert stats.oldest_age_s >= 0.0
    rows = await sut.store.outbox.claim("a", 10, 30.0)
    await sut.store.outbox.mark_sent([SentMark(rows[0].seq, "PQ_QUOTES", 7)])
    await sut.store.outbox.release("a", [rows[1].seq])

    assert (await sut.store.outbox.stats()).pending == 1
    [sent] = await sut.store.outbox.sent_since(started - 1)
    assert (sent.seq, sent.stream, sent.stream_seq) == (rows[0].seq, "PQ_QUOTES", 7)
    assert sent.sent_at is not None
    assert await sut.store.outbox.purge_sent(older_than=started - 60) == 0
    assert await sut.store.outbox.purge_sent(older_than=time.time() + 1) == 1
    assert await sut.store.outbox.sent_since(started - 1) == []
    assert [r.seq for r in await sut.store.outbox.claim("a", 10, 30.0)] == [rows[1].seq]
