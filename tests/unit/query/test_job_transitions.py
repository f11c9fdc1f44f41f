from __future__ import annotations

import itertools

from pq_query.model.jobs import JobChange, JobStatus, fold

ACCEPTED = JobChange("j1", JobStatus.PENDING, 100, symbol="NASDAQ:AAPL", interval="1h")
STARTED = JobChange("j1", JobStatus.RUNNING, 200)
DONE = JobChange("j1", JobStatus.DONE, 300, bars=5000)
FAILED = JobChange("j1", JobStatus.FAILED, 300, error="unknown symbol NASDAQ:NOPE")


def test_in_order_events_walk_the_lifecycle() -> None:
    states = fold({}, [ACCEPTED])
    assert states["j1"].status is JobStatus.PENDING
    states = fold(states, [STARTED])
    assert states["j1"].status is JobStatus.RUNNING
    final = fold(states, [DONE])["j1"]
    assert (final.status, final.bars, final.symbol, final.created_at) == (
        JobStatus.DONE, 5000, "NASDAQ:AAPL", 100,
    )  # fmt: skip


def test_any_order_and_any_repetition_ends_in_the_same_state() -> None:
    results = {
        fold({}, list(p) + list(p))["j1"] for p in itertools.permutations([ACCEPTED, STARTED, DONE])
    }
    assert len(results) == 1
    (state,) = results
    assert (state.status, state.bars, state.symbol) == (JobStatus.DONE, 5000, "NASDAQ:AAPL")


def test_a_finished_job_never_moves_again() -> None:
    failed = fold({}, [STARTED, FAILED, STARTED, ACCEPTED, DONE])["j1"]
    assert (failed.status, failed.error, failed.bars) == (
        JobStatus.FAILED, "unknown symbol NASDAQ:NOPE", None,
    )  # fmt: skip
