"""Percentiles of the log-bucket histogram against exact nearest-rank values."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pq_loadgen import LatencyHistogram
from pq_loadgen.histogram import RELATIVE_PRECISION


def exact_percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def test_empty_histogram_reports_zeros() -> None:
    h = LatencyHistogram()
    assert h.percentile(99) == 0.0
    assert h.summary()["max"] == 0.0


def test_known_distribution() -> None:
    h = LatencyHistogram()
    h.record_all(i / 1000 for i in range(1, 1001))  # 1 ms .. 1000 ms
    assert h.percentile(50) == pytest.approx(0.500, rel=RELATIVE_PRECISION)
    assert h.percentile(99.9) == pytest.approx(0.999, rel=RELATIVE_PRECISION)
    assert h.percentile(100) == 1.0
    summary = h.summary()
    assert summary["max"] == 1000.0
    assert summary["p90"] == pytest.approx(900.0, rel=RELATIVE_PRECISION)
    assert summary["mean"] == pytest.approx(500.5)


def test_long_tail_is_not_flattened() -> None:
    h = LatencyHistogram()
    h.record_all([0.002] * 9_990 + [1.5] * 10)
    assert h.percentile(99) == pytest.approx(0.002, rel=RELATIVE_PRECISION)
    assert h.percentile(99.95) == pytest.approx(1.5, rel=RELATIVE_PRECISION)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(min_value=1e-5, max_value=120.0), min_size=1, max_size=300),
    st.sampled_from([50.0, 90.0, 99.0, 99.9, 100.0]),
)
def test_percentiles_within_relative_precision(values: list[float], p: float) -> None:
    h = LatencyHistogram()
    h.record_all(values)
    assert h.percentile(p) == pytest.approx(exact_percentile(values, p), rel=RELATIVE_PRECISION)
    assert h.min_s <= h.percentile(p) <= h.max_s


def test_memory_stays_bounded() -> None:
    h = LatencyHistogram()
    rng = random.Random(7)
    h.record_all(rng.lognormvariate(-5, 2) for _ in range(50_000))
    assert len(h._counts) < 3_000  # log buckets, not one entry per sample


@pytest.mark.parametrize("p", [0.0, -1.0, 100.1])
def test_percentile_out_of_range(p: float) -> None:
    with pytest.raises(ValueError, match="percentile"):
        LatencyHistogram().percentile(p)
