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


PROGRESS_1 = JobChange("j1", JobStatus.RUNNING, 210, bars_fetched=2000, expected=5000)
PROGRESS_2 = JobChange("j1", JobStatus.RUNNING, 220, bars_fetched=4000, expected=5000)


def test_progress_only_grows_and_stops_at_the_end() -> None:
    running = fold({}, [ACCEPTED, STARTED, PROGRESS_2, PROGRESS_1])["j1"]
    assert (running.status, running.bars_fetched, running.expected) == (
        JobStatus.RUNNING, 4000, 5000,
    )  # fmt: skip
    assert (running.created_at, running.started_at, running.finished_at) == (100, 200, None)
    done = fold({"j1": running}, [DONE, PROGRESS_2])["j1"]
    assert (done.bars_fetched, done.finished_at) == (5000, 300)


def test_progress_in_any_order_ends_in_the_same_state() -> None:
    events = [ACCEPTED, STARTED, PROGRESS_1, PROGRESS_2, DONE]
    results = {fold({}, list(p))["j1"] for p in itertools.permutations(events)}
    assert len(results) == 1
    (state,) = results
    assert (state.started_at, state.finished_at, state.bars_fetched) == (200, 300, 5000)
