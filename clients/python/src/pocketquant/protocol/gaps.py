"""What `sync="auto"` must fetch: the parts of a request the read model does not cover.

Coverage is the open time of the first and the last bar held. A bar opens at the session
open, not at midnight, so a request starting less than one interval before the first
bar (or ending less than one interval after the last one) is covered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..times import INTERVAL_MS

DEFAULT_LATEST_BARS = 5000  # a request without a start syncs this many latest bars


@dataclass(frozen=True)
class SyncRange:
    """One sync to ask for: [start_ms, end_ms), or the latest `bars` bars."""

    start_ms: int | None = None
    end_ms: int | None = None
    bars: int | None = None


def missing_ranges(
    interval: str,
    start_ms: int | None,
    end_ms: int,
    covered: tuple[int, int] | None,
) -> list[SyncRange]:
    """The syncs that fill [start_ms, end_ms) given the covered (first, last) open times."""
    if covered is None:
        if start_ms is None:
            return [SyncRange(bars=DEFAULT_LATEST_BARS)]
        return [SyncRange(start_ms, end_ms)] if start_ms < end_ms else []
    first, last = covered
    step = INTERVAL_MS.get(interval, 60_000)
    gaps: list[SyncRange] = []
    if start_ms is not None and first - start_ms >= step:
        gaps.append(SyncRange(start_ms, min(first, end_ms)))
    if end_ms - last > step:
        gap_start = last if start_ms is None else max(last, start_ms)
        if gap_start < end_ms:
            gaps.append(SyncRange(gap_start, end_ms))
    return gaps


@dataclass
class SyncMemo:
    """Ranges this client already synced: a gap the source has no bars for (a holiday, a
    weekend before the first bar) is asked for once per client, not on every call."""

    ranges: dict[tuple[str, str], list[tuple[int, int]]] = field(default_factory=dict)

    def remember(self, symbol: str, interval: str, start_ms: int, end_ms: int) -> None:
        self.ranges.setdefault((symbol, interval), []).append((start_ms, end_ms))

    def covers(self, symbol: str, interval: str, gap: SyncRange) -> bool:
        if gap.start_ms is None or gap.end_ms is None:
            return False
        known = self.ranges.get((symbol, interval), [])
        return any(s <= gap.start_ms and gap.end_ms <= e for s, e in known)
