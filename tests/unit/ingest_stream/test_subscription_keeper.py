from __future__ import annotations

from dataclasses import dataclass

from pq_domain import Symbol
from pq_ingest_stream.handlers.subscription_keeper import SubscriptionKeeper
from pq_ingest_stream.metrics import StreamMetrics
from pq_ingest_stream.model.shard_assignment import Assignment

from .fakes import FakeListener, FakeSession

A, B, C = Symbol("NASDAQ", "AAPL"), Symbol("NYSE", "BRK.B"), Symbol("CME_MINI", "ES1!")


@dataclass
class OwnsOnly:
    symbols: frozenset[Symbol]

    def owns(self, symbol: Symbol) -> bool:
        return symbol in self.symbols


def keeper_with(
    assignment: list[Assignment],
) -> tuple[SubscriptionKeeper, FakeSession, FakeListener]:
    session, listener = FakeSession(), FakeListener()
    keeper = SubscriptionKeeper(session, lambda: assignment[0], listener, StreamMetrics())
    return keeper, session, listener


async def test_nothing_happens_before_the_watchlist_was_read() -> None:
    keeper, session, _ = keeper_with([OwnsOnly(frozenset({A}))])
    await keeper.reconcile()
    assert session.calls == []


async def test_only_owned_watchlist_symbols_are_subscribed_and_acquired_first() -> None:
    keeper, session, listener = keeper_with([OwnsOnly(frozenset({A, B}))])
    await keeper.set_watchlist(frozenset({A, B, C}))
    assert session.subscribed == {A, B}
    assert listener.acquired_ == [frozenset({A, B})]
    assert keeper.owned == {A, B}


async def test_a_deleted_symbol_is_released_as_deleted_a_moved_one_is_not() -> None:
    assignment: list[Assignment] = [OwnsOnly(frozenset({A, B, C}))]
    keeper, session, listener = keeper_with(assignment)
    await keeper.set_watchlist(frozenset({A, B, C}))
    await keeper.set_watchlist(frozenset({A, B}))  # C deleted from the watchlist
    assignment[0] = OwnsOnly(frozenset({A}))  # B moved to another shard
    await keeper.reconcile()
    assert listener.released_ == [
        (frozenset({C}), frozenset({C})),
        (frozenset({B}), frozenset()),
    ]
    assert session.subscribed == {A}
    assert ("unsubscribe", ["CME_MINI:ES1!"]) in session.calls


async def test_unchanged_state_sends_nothing() -> None:
    keeper, session, _ = keeper_with([OwnsOnly(frozenset({A}))])
    await keeper.set_watchlist(frozenset({A}))
    calls = list(session.calls)
    await keeper.set_watchlist(frozenset({A}))
    await keeper.reconcile()
    assert session.calls == calls
