"""The reconcile rule: source rank, then revision; among synced bars the later sync wins."""

from __future__ import annotations

import itertools

from pq_query.model.bar_rows import BarSource, BarValues, precedence, winners


def row(source: BarSource, revision: int, seq: int, close: float, t: int = 0) -> BarValues:
    return (
        "NASDAQ:AAPL", "1m", t, close, close, close, close, 1.0, source, revision, 1, seq,
        precedence(source, revision, seq),
    )  # fmt: skip


def test_synced_outranks_live_whatever_the_revision_or_order() -> None:
    synced = row(BarSource.SYNCED, 0, 5, 10.0)
    live = row(BarSource.LIVE, 7, 9, 11.0)
    assert winners([synced, live]) == [synced]
    assert winners([live, synced]) == [synced]


def test_among_live_bars_the_higher_revision_wins() -> None:
    first, corrected = row(BarSource.LIVE, 0, 9, 1.0), row(BarSource.LIVE, 1, 3, 2.0)
    assert winners([first, corrected]) == [corrected]
    assert winners([corrected, first]) == [corrected]


def test_among_synced_bars_the_later_sync_wins() -> None:
    old, new = row(BarSource.SYNCED, 0, 3, 1.0), row(BarSource.SYNCED, 0, 8, 2.0)
    assert winners([new, old]) == [new]


def test_the_result_does_not_depend_on_order_and_replays_change_nothing() -> None:
    rows = [
        row(BarSource.LIVE, 0, 1, 1.0),
        row(BarSource.LIVE, 2, 2, 2.0),
        row(BarSource.SYNCED, 0, 3, 3.0),
        row(BarSource.SYNCED, 0, 4, 4.0),
        row(BarSource.LIVE, 5, 6, 5.0),
    ]
    results = {tuple(winners(list(p) + list(p))) for p in itertools.permutations(rows)}
    assert results == {(rows[3],)}


def test_keys_are_reduced_separately() -> None:
    a, b = row(BarSource.LIVE, 0, 1, 1.0, t=0), row(BarSource.LIVE, 0, 2, 1.0, t=60_000)
    assert sorted(winners([a, b]), key=lambda r: r[2]) == [a, b]


def test_precedence_fits_a_signed_64_bit_column() -> None:
    assert precedence(BarSource.SYNCED, 10**9, 10**15) < 2**63
