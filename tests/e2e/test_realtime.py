"""Issue 6, done when: 20 live symbols -> bars of every interval, equal to an independent reference.

Adapted to keep CI time sane: the issue asks for 60x during 3 wall minutes (3 market hours).
Here the simulator runs at 120x (about 950 quotes/s through the stack) from a past weekday
15:00 UTC, and the flow lasts until every symbol (the 10-minute-delayed futures included)
has streamed one whole 1h bucket after its first quote: 1h to 2h of market, 35-65 wall
seconds. Then the watchlist is emptied, the pipeline goes quiet, and the run is audited
(tests/support/live_audit.py), on every bucket the stream covered entirely:

- every symbol has live 1m, 5m, 15m and 1h bars in the read model (GET /v1/bars);
- the final BarCompleted of each such bucket equals the bar computed independently from the
  raw QuoteReceived messages in PQ_QUOTES (tests/unit/domain/reference.py), none missing
  or extra;
- the read model holds exactly those keys plus the synced ones, each bar equal to the synced
  bar where the initial 1-day backfill wrote one (synced bars win), else to the reference;
  synced bars equal the simulator's own history (same seed and start, in-process);
- nothing stored twice in PQ_BARS;
- with no interruption, the read model equals the simulator's history itself (quotes the
  TradingView client dropped from a full backlog are backfilled, so this holds strictly).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
import pytest

from tests.support.live_audit import AuditedRun, audit_quiet_stack
from tests.support.live_bars import LIVE_INTERVALS, differences, restrict
from tests.support.live_flow import (
    REALTIME_SYMBOLS,
    live_overrides,
    subscribe,
    unsubscribe,
    wait_quotes_past,
    whole_hours_after,
)
from tests.support.sim_reference import BarRow, simulator_rows
from tests.support.stack_probe import metric
from tests.support.stack_runner import SIM_SEED, E2eStack, start_stack

# A whole live session (~2 min on 2 cores): slow, as `make test-fast` leaves it out.
pytestmark = pytest.mark.slow

SPEED = 120.0
FULL_HOURS = 1


@dataclass
class RealtimeRun:
    stack: E2eStack
    run: AuditedRun
    flow_s: float
    conflated: float  # quotes ingest-stream's client dropped from a full per-symbol backlog

    def problems(self, about: str) -> list[str]:
        return [p for p in self.run.audit.problems(REALTIME_SYMBOLS) if about in p]

    def evidence(self) -> str:
        audit = self.run.audit
        return (
            f"{audit.summary()}; flow {self.flow_s:.0f}s ({audit.quotes / self.flow_s:.0f} "
            f"quotes/s), quiet after {self.run.quiet_s:.0f}s, audit {self.run.audit_s:.0f}s; "
            f"{self.conflated:.0f} quotes conflated\n{self.stack.logs(25)}"
        )


def drive(stack: E2eStack) -> RealtimeRun:
    with httpx.Client(
        base_url=stack.gateway_url, headers=stack.auth_headers(), timeout=30
    ) as client:
        subscribe(client, REALTIME_SYMBOLS)
        began = time.monotonic()
        first = wait_quotes_past(client, REALTIME_SYMBOLS, 0, 60, "first quotes")
        wanted = whole_hours_after(first, FULL_HOURS)
        wait_quotes_past(client, REALTIME_SYMBOLS, wanted, 150, "a whole live hour")
        conflated = metric(stack, "ingest-stream", "pq_stream_conflated_quotes")
        unsubscribe(client, REALTIME_SYMBOLS)
        flow_s = time.monotonic() - began
        return RealtimeRun(
            stack, audit_quiet_stack(stack, client, REALTIME_SYMBOLS), flow_s, conflated
        )


@pytest.fixture(scope="module")
def realtime_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealtimeRun]:
    overrides = live_overrides(SPEED, timedelta(hours=4))
    stack = start_stack(
        tmp_path_factory.mktemp("realtime") / "pq", ready_timeout=150.0, **overrides
    )
    try:
        try:
            run = drive(stack)
        except AssertionError as failure:
            raise AssertionError(f"{failure}\n{stack.logs(25)}") from None
        print(run.evidence().splitlines()[0])
        yield run
    finally:
        stack.stop()


@pytest.mark.timeout(400)
def test_every_symbol_has_live_bars_of_every_interval(realtime_run: RealtimeRun) -> None:
    audit = realtime_run.run.audit
    assert set(audit.windows) == set(REALTIME_SYMBOLS), realtime_run.evidence()
    per_series = {
        (s, i): sum(1 for k in audit.read_model if k[:2] == (s, i))
        for s in REALTIME_SYMBOLS
        for i in LIVE_INTERVALS
    }
    empty = [series for series, n in per_series.items() if n == 0]
    assert not empty, f"no live bars in the read model for {empty}; {realtime_run.evidence()}"
    hourly = min(n for (_, i), n in per_series.items() if i == "1h")
    assert hourly >= FULL_HOURS, f"only {hourly} live 1h bars; {realtime_run.evidence()}"


def test_completed_bars_equal_the_reference_from_raw_quotes(realtime_run: RealtimeRun) -> None:
    problems = realtime_run.problems("BarCompleted vs reference")
    assert not problems, "\n".join([*problems, realtime_run.evidence()])


def test_read_model_holds_exactly_the_expected_bars(realtime_run: RealtimeRun) -> None:
    problems = realtime_run.problems("read model vs expected")
    assert not problems, "\n".join([*problems, realtime_run.evidence()])


def test_synced_bars_equal_the_simulator_history(realtime_run: RealtimeRun) -> None:
    assert realtime_run.run.audit.synced, "the initial backfill synced no bar in the live window"
    problems = realtime_run.problems("BarSynced vs simulator")
    assert not problems, "\n".join([*problems, realtime_run.evidence()])


def test_nothing_is_stored_twice(realtime_run: RealtimeRun) -> None:
    problems = realtime_run.problems("stored twice")
    assert not problems, "\n".join([*problems, realtime_run.evidence()])


def test_uninterrupted_live_bars_equal_the_simulator_history(realtime_run: RealtimeRun) -> None:
    """The simulator pushes every tick, so with nothing lost live bars are its own bars;
    quotes the client had to drop (`conflated` in the evidence) opened gaps whose backfill,
    follow-ups included, replaced the broken live bars with synced ones."""
    audit = realtime_run.run.audit
    start_ms = int(
        datetime.fromisoformat(realtime_run.stack.env["PQ_TVSIM_START"]).timestamp() * 1000
    )
    simulator: dict[tuple[str, str, int], BarRow] = {}
    for symbol, window in audit.windows.items():
        for interval in LIVE_INTERVALS:
            rows = simulator_rows(
                symbol, interval, seed=SIM_SEED, start_ms=start_ms, now_ms=window.last_ts, count=300
            )
            simulator |= {(symbol, interval, row[0]): row for row in rows}
    expected = restrict(simulator, audit.windows, LIVE_INTERVALS)
    problems = differences(audit.read_model, expected, "read model vs simulator")
    assert not problems, "\n".join([*problems, realtime_run.evidence()])
