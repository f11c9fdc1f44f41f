"""sync="auto": which ranges the SDK asks to sync, given what the read model covers."""

from __future__ import annotations

from pocketquant.protocol.gaps import DEFAULT_LATEST_BARS, SyncMemo, SyncRange, missing_ranges
from pocketquant.times import to_ms

JAN_1 = to_ms("2025-01-01")
JUL_1 = to_ms("2025-07-01")
FIRST_BAR = to_ms("2025-01-01T14:30:00Z")  # a 1d bar opens at the session open
LAST_BAR = to_ms("2025-06-30T13:30:00Z")


def test_nothing_covered_syncs_the_whole_range() -> None:
    assert missing_ranges("1d", JAN_1, JUL_1, None) == [SyncRange(JAN_1, JUL_1)]


def test_nothing_covered_and_no_start_syncs_the_latest_bars() -> None:
    assert missing_ranges("1d", None, JUL_1, None) == [SyncRange(bars=DEFAULT_LATEST_BARS)]


def test_a_range_covered_to_within_one_interval_needs_no_sync() -> None:
    assert missing_ranges("1d", JAN_1, JUL_1, (FIRST_BAR, LAST_BAR)) == []


def test_a_range_reaching_past_the_covered_one_syncs_only_the_parts_outside() -> None:
    dec_1 = to_ms("2024-12-01")
    sep_1 = to_ms("2025-09-01")
    gaps = missing_ranges("1d", dec_1, sep_1, (FIRST_BAR, LAST_BAR))
    assert gaps == [SyncRange(dec_1, FIRST_BAR), SyncRange(LAST_BAR, sep_1)]


def test_a_range_entirely_before_the_covered_one_is_synced_as_asked() -> None:
    start, end = to_ms("2023-01-01"), to_ms("2023-02-01")
    assert missing_ranges("1d", start, end, (FIRST_BAR, LAST_BAR)) == [SyncRange(start, end)]


def test_an_intraday_gap_of_one_interval_counts() -> None:
    first = to_ms("2025-01-02T14:30:00Z")
    gaps = missing_ranges("1m", first - 60_000, first + 3_600_000, (first, first + 3_600_000))
    assert gaps == [SyncRange(first - 60_000, first)]


def test_the_memo_skips_a_range_already_synced_by_this_client() -> None:
    memo = SyncMemo()
    gap = SyncRange(JAN_1, FIRST_BAR)
    assert not memo.covers("NASDAQ:NVDA", "1d", gap)
    memo.remember("NASDAQ:NVDA", "1d", JAN_1 - 1, FIRST_BAR)
    assert memo.covers("NASDAQ:NVDA", "1d", gap)
    assert not memo.covers("NASDAQ:NVDA", "1h", gap)
    assert not memo.covers("NASDAQ:NVDA", "1d", SyncRange(bars=10))
