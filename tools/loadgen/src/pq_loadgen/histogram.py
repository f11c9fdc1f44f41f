"""Latency histogram with log-spaced buckets (HdrHistogram-like, no dependency).

Each bucket is 1% wider than the one before, so any percentile it reports is within 1%
of the exact value while memory stays a few hundred counters whatever the run length.
Min, max, count and sum are kept exactly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

RELATIVE_PRECISION = 0.01
_LOG_BASE = math.log1p(RELATIVE_PRECISION)
_RESOLUTION_S = 1e-6  # below one microsecond everything is one bucket

REPORTED_PERCENTILES: tuple[float, ...] = (50.0, 90.0, 99.0, 99.9)


class LatencyHistogram:
    def __init__(self) -> None:
        self._counts: dict[int, int] = {}
        self.count = 0
        self.total_s = 0.0
        self.min_s = math.inf
        self.max_s = 0.0

    def record(self, seconds: float) -> None:
        value = max(seconds, 0.0)
        index = _bucket_of(value)
        self._counts[index] = self._counts.get(index, 0) + 1
        self.count += 1
        self.total_s += value
        self.min_s = min(self.min_s, value)
        self.max_s = max(self.max_s, value)

    def record_all(self, values: Iterable[float]) -> None:
        for value in values:
            self.record(value)

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile (0 < p <= 100), within 1% of the exact value; 0 if empty."""
        if not 0.0 < p <= 100.0:
            raise ValueError(f"percentile must be in (0, 100], got {p}")
        if self.count == 0:
            return 0.0
        rank = max(1, math.ceil(p / 100.0 * self.count))
        seen = 0
        for index in sorted(self._counts):
            seen += self._counts[index]
            if seen >= rank:
                # The bucket's upper edge, but never beyond what was really seen.
                return min(max(_upper_edge(index), self.min_s), self.max_s)
        return self.max_s  # pragma: no cover - the loop reaches `rank` by construction

    @property
    def mean_s(self) -> float:
        return self.total_s / self.count if self.count else 0.0

    def summary(self) -> dict[str, float]:
        """p50, p90, p99, p99.9, max and mean in milliseconds."""
        out = {f"p{p:g}": self.percentile(p) * 1000.0 for p in REPORTED_PERCENTILES}
        out["max"] = self.max_s * 1000.0
        out["mean"] = self.mean_s * 1000.0
        return out


def _bucket_of(seconds: float) -> int:
    if seconds <= _RESOLUTION_S:
        return 0
    return max(1, math.ceil(math.log(seconds / _RESOLUTION_S) / _LOG_BASE))


def _upper_edge(index: int) -> float:
    return _RESOLUTION_S * math.exp(index * _LOG_BASE)
