"""Issue 6, done when: the live run of tests/e2e/test_realtime.py with chaos, still exact.

20 symbols at 120x. During the flow bar-builder is SIGKILLed twice and ingest-stream once
(PIDs from stack.json; the supervisor restarts them), and the simulator drops every
connection every 10 s (PQ_TVSIM_DROP_EVERY_S). After each kill every service's /health is
200 again within 30 s. The flow lasts until every symbol streamed a whole 1h bucket after
the last kill; then the audit of tests/support/live_audit.py must find nothing: final
BarCompleted == reference from the raw quotes, read model == reference + synced bars
(the reconnect gaps are backfilled, and synced bars win), synced == simulator history,
no Nats-Msg-Id nor BarCompleted key+revision stored twice in PQ_BARS.

Backfill settings for this stack: only the audited intervals (1m, 5m, 15m, 1h) are re-synced
per gap, at up to 50 commands/s: a drop every 10 s opens a gap for each of the 20 symbols,
80 commands, which the default 5/s would take minutes to drain.
"""

from __future__ import annotations

import time
from datetime import timedelta

import httpx
import pytest

from tests.support.live_audit import audit_quiet_stack
from tests.support.live_flow import (
    REALTIME_SYMBOLS,
    LiveStackFactory,
    advance_sim,
    live_overrides,
    subscribe,
    unsubscribe,
    wait_quotes_past,
    whole_hours_after,
)
from tests.support.stack_probe import kill_child, sim_control, wait_healthy

pytestmark = pytest.mark.slow

SPEED = 120.0
VICTIMS = ("bar-builder", "ingest-stream", "bar-builder")
FLOW_AFTER_MS = 5 * 60_000  # market time every symbol must stream after the last kill
CHAOS_ENV = {
    "PQ_TVSIM_DROP_EVERY_S": "10",
    "PQ_BACKFILL_INTERVALS": "1m,5m,15m,1h",
    "PQ_BACKFILL_RATE_PER_S": "50",
    "PQ_BACKFILL_BURST": "200",
}


@pytest.mark.timeout(420)
def test_live_bars_stay_exact_through_kills_and_dropped_connections(
    live_stack_factory: LiveStackFactory,
) -> None:
    stack = live_stack_factory("chaos", **live_overrides(SPEED, timedelta(hours=4), **CHAOS_ENV))
    began = time.monotonic()
    recoveries: list[str] = []
    with httpx.Client(base_url=stack.gateway_url, headers=stack.auth_headers(), timeout=30) as c:
        subscribe(c, REALTIME_SYMBOLS)
        first = wait_quotes_past(c, REALTIME_SYMBOLS, 0, 60, "first quotes")
        for victim in VICTIMS:
            advance_sim(stack, minutes=20)
            pid = kill_child(stack, victim)
            took = wait_healthy(stack, timeout=30, after=f"SIGKILL {victim}")
            recoveries.append(f"{victim} -> pid {pid}, healthy in {took:.1f}s")
        # Every symbol keeps flowing after the chaos, and one whole live hour is covered.
        after_chaos = wait_quotes_past(c, REALTIME_SYMBOLS, 0, 30, "quotes after the kills")
        wanted = whole_hours_after(first, 1)
        wanted = {s: max(wanted[s], after_chaos[s] + FLOW_AFTER_MS) for s in REALTIME_SYMBOLS}
        wait_quotes_past(c, REALTIME_SYMBOLS, wanted, 120, "a whole live hour and flow after")
        drops = sim_control(stack, "GET", "status")["connections_accepted"]
        shards = c.get("/v1/stream/status").json()["shards"]
        reconnects = sum(shard["reconnects"] for shard in shards)
        sim_control(stack, "DELETE", "faults")
        unsubscribe(c, REALTIME_SYMBOLS)
        flow_s = time.monotonic() - began
        run = audit_quiet_stack(stack, c, REALTIME_SYMBOLS)
    audit = run.audit
    evidence = (
        f"{audit.summary()}; flow {flow_s:.0f}s ({audit.quotes / flow_s:.0f} quotes/s), "
        f"quiet after {run.quiet_s:.0f}s, audit {run.audit_s:.0f}s; {drops} simulator "
        f"connections accepted, {reconnects} quote session reconnects since the "
        f"ingest-stream restart; recoveries: {recoveries}"
    )
    print(evidence)
    problems = audit.problems(REALTIME_SYMBOLS)
    assert not problems, "\n".join([*problems, evidence])
    assert reconnects >= 1, f"the simulator's drops did not reach the quote session: {evidence}"
