"""Issue 9, tests/resilience: every kind of fault in turn under a steady load, then exact bars.

Load: 50 live symbols (the 20 of the realtime test plus 30 synthetic 24x7 coins at 8 ticks
per market minute, in a universe file given to the simulator) at 60x: about 770 quotes/s
offered, all of them through ingest-stream, JetStream, bar-builder and the outbox to the
read model (measured figures are printed). One stack session; in turn:

- SIGKILL each service (gateway, query, ingest-history, ingest-stream, bar-builder);
- SIGTERM nats-server and redis-server (their clean exit is restarted by the supervisor,
  whose policy for servers is "always");
- the simulator drops every connection every 5 s for a while.

After each fault: the child is back under a new PID, every service's /health is 200 again
within 30 s, and every symbol's latest quote (GET /v1/quotes) moves on, so the flow resumed.
At the end, once quiet: the audit of tests/support/live_audit.py finds nothing (final
BarCompleted == reference from the raw quotes in PQ_QUOTES, read model == reference plus
synced bars, synced == simulator history, nothing stored twice), and no outbox holds an
unsent row older than 5 s.

Stack settings: the initial backfill of a new symbol is 2 h instead of a day and gaps
re-sync only the audited intervals, at up to 50 commands/s (a reconnect opens a gap for
all 50 symbols: 200 commands), so that start-up and recovery fit the time budget.
"""

from __future__ import annotations

import signal
import time
from datetime import timedelta
from pathlib import Path

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
)
from tests.support.sim_universe import write_universe
from tests.support.stack_probe import (
    kill_child,
    outbox_backlog,
    sim_control,
    wait_healthy,
)
from tests.support.stack_runner import E2eStack
from tests.support.timeline import Timeline

pytestmark = pytest.mark.slow

SPEED = 60.0
SYNTHETIC = 30
FAULTS = (
    ("gateway", signal.SIGKILL),
    ("query", signal.SIGKILL),
    ("ingest-history", signal.SIGKILL),
    ("ingest-stream", signal.SIGKILL),
    ("bar-builder", signal.SIGKILL),
    ("nats-server", signal.SIGTERM),
    ("redis-server", signal.SIGTERM),
)
MOVE_ON_MS = 3 * 60_000  # market time every symbol must stream after a fault
FAULT_ENV = {
    "PQ_INITIAL_BACKFILL_S": "7200",
    "PQ_BACKFILL_INTERVALS": "1m,5m,15m,1h",
    "PQ_BACKFILL_RATE_PER_S": "50",
    "PQ_BACKFILL_BURST": "300",
}


def flow_moves_on(client: httpx.Client, symbols: tuple[str, ...], what: str) -> None:
    now = wait_quotes_past(client, symbols, 0, 30, f"quotes after {what}")
    wait_quotes_past(
        client, symbols, {s: ts + MOVE_ON_MS for s, ts in now.items()}, 60, f"flow after {what}"
    )


def hurt(stack: E2eStack, client: httpx.Client, symbols: tuple[str, ...], log: Timeline) -> None:
    for name, sig in FAULTS:
        pid = kill_child(stack, name, sig)
        took = wait_healthy(stack, timeout=30, after=f"{sig.name} {name}")
        log.note(f"{sig.name} {name}: new pid {pid}, all healthy in {took:.1f}s")
        flow_moves_on(client, symbols, f"{sig.name} {name}")
        log.note(f"  every symbol streamed {MOVE_ON_MS // 60_000} more market minutes")
    accepted = sim_control(stack, "GET", "status")["connections_accepted"]
    sim_control(stack, "POST", "faults", {"drop_every_s": 5})
    advance_sim(stack, minutes=15)  # 15 wall seconds at 60x: three drops
    sim_control(stack, "DELETE", "faults")
    dropped = sim_control(stack, "GET", "status")["connections_accepted"] - accepted
    took = wait_healthy(stack, timeout=30, after="connections dropped every 5 s")
    log.note(f"drops every 5 s for 15 s: {dropped} new connections; all healthy in {took:.1f}s")
    flow_moves_on(client, symbols, "the drops")


@pytest.mark.timeout(420)
def test_every_fault_in_turn_leaves_exact_bars_and_empty_outboxes(
    live_stack_factory: LiveStackFactory, tmp_path: Path
) -> None:
    universe = tmp_path / "universe.json"
    symbols = write_universe(universe, REALTIME_SYMBOLS, SYNTHETIC, tick_rate=8)
    overrides = live_overrides(
        SPEED, timedelta(hours=4), PQ_TVSIM_UNIVERSE=str(universe), **FAULT_ENV
    )
    stack = live_stack_factory("faults", **overrides)
    log = Timeline()
    with httpx.Client(base_url=stack.gateway_url, headers=stack.auth_headers(), timeout=30) as c:
        subscribe(c, symbols)
        wait_quotes_past(c, symbols, 0, 60, "first quotes")
        log.note(f"{len(symbols)} symbols streaming")
        hurt(stack, c, symbols, log)
        unsubscribe(c, symbols)
        flow_s = time.monotonic() - log.began
        run = audit_quiet_stack(stack, c, symbols)
    stuck = outbox_backlog(stack, older_than_s=5)
    audit = run.audit
    log.note(
        f"{audit.summary()}; {audit.quotes / flow_s:.0f} quotes/s over {flow_s:.0f}s; "
        f"quiet after {run.quiet_s:.0f}s, audit {run.audit_s:.0f}s"
    )
    print(log)
    problems = audit.problems(symbols, covered=("1m", "5m", "15m"))
    assert not problems, "\n".join([*problems, str(log)])
    assert not stuck, f"unsent outbox rows older than 5 s: {stuck}\n{log}"
