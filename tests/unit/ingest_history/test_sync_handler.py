from __future__ import annotations

import json

import pytest

from pq_domain import Interval, Symbol
from pq_domain.events import SyncRequested
from pq_ingest_history.handlers.sync_requested import (
    SyncDeps,
    SyncOutcome,
    SyncRequestedHandler,
)
from pq_ingest_history.model.retry_policy import RetryPolicy
from pq_ingest_history.model.sync_job import JobStatus
from pq_ingest_history.ports import PermanentFetchError, TransientFetchError
from tests.unit.ingest_history.fakes import FakeHistory, FakeJobs, FakeStore, FakeUnitOfWork

HOUR = 3_600_000
NOW = 1_000 * HOUR + 30 * 60_000  # half way through an hour bar
FORMING_T = 1_000 * HOUR


async def no_ping() -> None:
    return None


def make(history: FakeHistory, store: FakeStore) -> SyncRequestedHandler[FakeUnitOfWork]:
    deps = SyncDeps(store, FakeJobs(), history, RetryPolicy(3, 0.0, 0.0), clock=lambda: NOW)
    return SyncRequestedHandler(deps)


def command(bars: int = 2500, symbol: str = "BINANCE:BTCUSDT") -> SyncRequested:
    return SyncRequested("job-1", Symbol.parse(symbol), Interval.H1, bars=bars)


async def test_done_records_started_progress_then_bars_then_completed() -> None:
    store, history = FakeStore(), FakeHistory(newest_t=FORMING_T)

    result = await make(history, store).handle(command(), attempt=1, keep_alive=no_ping)

    assert result.outcome is SyncOutcome.DONE
    assert store.commits == 4  # started, a progress per fetch round, the outcome
    assert store.types() == ["SyncJobStarted"] + ["SyncJobProgressed"] * 2 + ["SymbolResolved"] + [
        "BarSynced"
    ] * 3 + ["SyncJobCompleted"]
    progress = [
        json.loads(e.payload) for e in store.published if e.event_type == "SyncJobProgressed"
    ]
    # The provider's extra (forming) bar is not counted past what was asked.
    assert [(p["bars_fetched"], p["expected"], p["round"]) for p in progress] == [
        (1250, 2500, 1), (2500, 2500, 2),
    ]  # fmt: skip
    chunks = [json.loads(e.payload) for e in store.published if e.event_type == "BarSynced"]
    assert [len(c["bars"]) for c in chunks] == [1000, 1000, 500]
    assert {e.subject for e in store.published if e.event_type == "BarSynced"} == {
        "pq.bars.synced.BINANCE.BTCUSDT.1h"
    }
    completed = json.loads(store.published[-1].payload)
    assert completed["bars"] == 2500
    assert store.jobs["job-1"].status is JobStatus.DONE
    assert store.jobs["job-1"].last_t == FORMING_T - HOUR


async def test_the_forming_bar_is_dropped_and_one_more_was_asked_for() -> None:
    store, history = FakeStore(), FakeHistory(newest_t=FORMING_T)

    await make(history, store).handle(command(bars=5), attempt=1, keep_alive=no_ping)

    assert history.queries[0].bars == 6
    synced = [e for e in store.published if e.event_type == "BarSynced"]
    bars = json.loads(synced[0].payload)["bars"]
    assert [b["t"] for b in bars] == [FORMING_T - i * HOUR for i in range(5, 0, -1)]


async def test_a_redelivered_command_emits_nothing() -> None:
    store, history = FakeStore(), FakeHistory(newest_t=FORMING_T)
    handler = make(history, store)
    await handler.handle(command(), attempt=1, keep_alive=no_ping)
    emitted = list(store.published)

    again = await handler.handle(command(), attempt=2, keep_alive=no_ping)

    assert again.outcome is SyncOutcome.DUPLICATE
    assert store.published == emitted
    assert len(history.queries) == 1


async def test_unknown_symbol_fails_at_once_naming_it() -> None:
    store = FakeStore()
    history = FakeHistory(FORMING_T, errors=[PermanentFetchError("NASDAQ:NOPE: symbol_error")])

    result = await make(history, store).handle(
        command(symbol="NASDAQ:NOPE"), attempt=1, keep_alive=no_ping
    )

    assert result.outcome is SyncOutcome.FAILED
    assert len(history.queries) == 1
    assert store.types() == ["SyncJobStarted", "SyncJobFailed"]
    assert "NASDAQ:NOPE" in json.loads(store.published[-1].payload)["error"]
    assert store.jobs["job-1"].status is JobStatus.FAILED


@pytest.mark.parametrize(("failures", "outcome"), [(2, "done"), (3, "failed")])
async def test_transient_errors_are_retried_a_bounded_number_of_times(
    failures: int, outcome: str
) -> None:
    store = FakeStore()
    errors: list[Exception] = [TransientFetchError("BINANCE:BTCUSDT: timeout")] * failures
    history = FakeHistory(FORMING_T, errors=errors)

    result = await make(history, store).handle(command(), attempt=1, keep_alive=no_ping)

    assert result.outcome == outcome
    assert len(history.queries) == min(failures + 1, 3)
    if outcome == "failed":
        error = json.loads(store.published[-1].payload)["error"]
        assert "BINANCE:BTCUSDT" in error
        assert "3 attempts" in error
