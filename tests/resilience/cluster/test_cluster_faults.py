"""Issue 17: the stack on a three-node NATS cluster with two processes of every service,
hurt the way a cluster is hurt, under live flow and sync commands, then audited exactly.

Flow: 10 live symbols (crypto, FX, CME futures: all open at the simulated 15:00 UTC) at
60x, and a sync command every ~2 s to alternating gateways (stocks, not on the
watchlist). In turn, each followed by every process healthy and every symbol streaming
on:

1. SIGKILL the node leading PQ_BARS, then the one leading PQ_QUOTES (from stream info);
   the supervisor restarts each, and the cluster is whole again (/healthz on each node);
2. a rolling restart (SIGTERM) of the three nodes, one at a time, each back and current
   before the next;
3. SIGKILL the JetStream meta leader;
4. SIGKILL one replica (-0) of every service at once.

A prober asks both gateways five times a second throughout: the span of 5xx answers (or
none) on a surviving gateway is that fault's outage window, printed and bounded. The
oldest unsent outbox row is sampled all along and bounded. At the end: every accepted
sync job is done (none lost), and the audit of tests/support/live_audit.py finds nothing
(read model == reference from the raw quotes plus synced bars; synced == the simulator's
history; nothing stored twice).
"""

from __future__ import annotations

import functools
import os
import signal
import time
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest

from pq_launcher.stack_file import read_stack_file
from tests.resilience.cluster.conftest import ClusterStackFactory
from tests.support.cluster_probe import (
    meta_leader,
    stream_leader,
    wait_cluster_whole,
)
from tests.support.gateway_prober import GatewayProber
from tests.support.live_audit import audit_quiet_stack
from tests.support.live_flow import subscribe, unsubscribe, wait_quotes_past
from tests.support.stack_probe import (
    kill_child,
    oldest_unsent_age,
    outbox_backlog,
    replica_urls,
    wait_healthy,
)
from tests.support.stack_runner import E2eStack
from tests.support.timeline import Timeline
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow

SPEED = 60.0
SYMBOLS = (
    "BINANCE:BTCUSDT",
    "BINANCE:ETHUSDT",
    "BINANCE:SOLUSDT",
    "BINANCE:XRPUSDT",
    "FX:EURUSD",
    "FX:GBPUSD",
    "FX:USDJPY",
    "OANDA:XAUUSD",
    "CME_MINI:ES1!",
    "NYMEX:CL1!",
)
SYNCS: tuple[dict[str, object], ...] = tuple(
    {"symbol": s, "interval": "1h", "bars": 40}
    for s in ("NASDAQ:AAPL", "NASDAQ:MSFT", "NYSE:JPM", "SP:SPX")
)
MOVE_ON_MS = 2 * 60_000  # market time every symbol must stream after a fault
NODE_OUTAGE_BOUND_S = 15.0  # a surviving gateway's 5xx window around a NATS node fault
REPLICA_OUTAGE_BOUND_S = 5.0  # the surviving gateway's, when a replica of each service dies
OUTBOX_AGE_BOUND_S = 60.0  # relay lease (30 s) of a killed owner, plus a retry
STACK_ENV = {
    "PQ_INITIAL_BACKFILL_S": "3600",
    "PQ_BACKFILL_INTERVALS": "1m,5m,15m",
    "PQ_BACKFILL_RATE_PER_S": "50",
    "PQ_BACKFILL_BURST": "300",
    "PQ_RATE_LIMIT_READS": "100000/60",
    # At 60x the default 60 s lateness is one wall second, shorter than the publish retries
    # across a stream leader's failover, whose quotes then reach the bar-builder behind
    # newer ones; scaled, it is the minute of wall time a 1x deployment has.
    "PQ_LATENESS_MS": str(round(60_000 * SPEED)),
}


def flow_moves_on(client: httpx.Client, what: str) -> None:
    now = wait_quotes_past(client, SYMBOLS, 0, 60, f"quotes after {what}")
    wait_quotes_past(
        client, SYMBOLS, {s: ts + MOVE_ON_MS for s, ts in now.items()}, 90, f"flow after {what}"
    )


def kill_all(stack: E2eStack, names: list[str], sig: signal.Signals) -> None:
    """Signal several children at once; wait until the supervisor restarted each."""
    record = read_stack_file(stack.data_dir / "stack.json")
    assert record is not None
    old = {c.name: c.pid for c in record.processes if c.name in names}
    assert set(old) == set(names), f"not all of {names} in stack.json"
    for pid in old.values():
        assert pid is not None
        os.kill(pid, sig)

    def restarted() -> bool:
        now = read_stack_file(stack.data_dir / "stack.json")
        pids = {c.name: c.pid for c in (now.processes if now else [])}
        return all(pids.get(n) not in (None, old[n]) for n in names)

    wait_until(restarted, timeout=30, interval=0.1, what=f"{names} restarted")


def recover(
    stack: E2eStack,
    client: httpx.Client,
    prober: GatewayProber,
    log: Timeline,
    what: str,
    hurt: Callable[[], object],
    survivors: tuple[str, ...],
) -> float:
    """Hurt, wait until whole, healthy and streaming; note and return the outage window."""
    began = time.monotonic()
    hurt()
    whole = wait_cluster_whole(stack, timeout=60, after=what)
    healthy = wait_healthy(stack, timeout=60, after=what)
    flow_moves_on(client, what)
    window = max(prober.outage(g, began) for g in survivors)
    failed = sorted({f for g in survivors for f in prober.failed(g, began)})
    log.note(
        f"{what}: cluster whole in {whole:.1f}s, all healthy +{healthy:.1f}s, flow on at "
        f"{time.monotonic() - began:.1f}s; 5xx window on {'/'.join(survivors)}: "
        f"{window:.1f}s {failed[:4]}"
    )
    return window


@pytest.mark.timeout(480)
def test_cluster_faults_lose_and_double_nothing(cluster_stack_factory: ClusterStackFactory) -> None:
    stack = cluster_stack_factory("cluster", SPEED, timedelta(hours=6), **STACK_ENV)
    log = Timeline()
    gateways = replica_urls(stack, "gateway")
    assert sorted(gateways) == ["gateway-0", "gateway-1"], gateways
    for stream in ("PQ_BARS", "PQ_QUOTES", "PQ_CMD"):
        stream_leader(stack, stream)  # R3 with a leader, or it fails here
    prober = GatewayProber(
        gateways, stack.auth_headers(), f"/v1/quotes/{SYMBOLS[0]}", SYNCS,
        sample=lambda: oldest_unsent_age(stack),
    )  # fmt: skip
    windows: dict[str, float] = {}
    both = tuple(sorted(gateways))
    with httpx.Client(
        base_url=gateways["gateway-1"], headers=stack.auth_headers(), timeout=30
    ) as c:
        subscribe(c, SYMBOLS)
        wait_quotes_past(c, SYMBOLS, 0, 90, "first quotes")
        log.note(f"{len(SYMBOLS)} symbols streaming on 3 nodes x 2 replicas")
        prober.start()
        try:
            for stream in ("PQ_BARS", "PQ_QUOTES"):
                node = stream_leader(stack, stream)
                windows[f"{stream} leader"] = recover(
                    stack, c, prober, log, f"SIGKILL {node} (leads {stream})",
                    functools.partial(kill_child, stack, node), both,
                )  # fmt: skip
            for i in range(3):
                node = f"nats-server-{i}"
                windows[f"rolling {node}"] = recover(
                    stack, c, prober, log, f"rolling SIGTERM {node}",
                    functools.partial(kill_child, stack, node, signal.SIGTERM), both,
                )  # fmt: skip
            leader = meta_leader(stack)
            assert leader is not None
            windows["meta leader"] = recover(
                stack, c, prober, log, f"SIGKILL {leader} (meta leader)",
                lambda: kill_child(stack, leader), both,
            )  # fmt: skip
            victims = [f"{s}-0" for s in ("gateway", "query", "ingest-history",
                                          "ingest-stream", "bar-builder")]  # fmt: skip
            windows["service replicas"] = recover(
                stack, c, prober, log, "SIGKILL one replica of each service",
                lambda: kill_all(stack, victims, signal.SIGKILL), ("gateway-1",),
            )  # fmt: skip
        finally:
            prober.stop()
        unsubscribe(c, SYMBOLS)
        flow_s = time.monotonic() - log.began
        run = audit_quiet_stack(stack, c, SYMBOLS)
        unfinished = wait_jobs_done(c, prober.jobs)
    stuck = outbox_backlog(stack, older_than_s=5)
    audit = run.audit
    log.note(
        f"{audit.summary()}; {audit.quotes / flow_s:.0f} quotes/s over {flow_s:.0f}s; "
        f"{len(prober.jobs)} sync jobs; oldest unsent outbox row seen "
        f"{prober.sampled_max:.1f}s; quiet after {run.quiet_s:.0f}s, audit {run.audit_s:.0f}s"
    )
    print(log)
    problems = audit.problems(SYMBOLS, covered=("1m", "5m"))
    assert not problems, "\n".join([*problems, str(log)])
    assert not unfinished, f"sync jobs lost or not done: {unfinished}\n{log}"
    assert len(prober.jobs) >= 10, f"too few sync commands accepted: {prober.jobs}\n{log}"
    assert not stuck, f"unsent outbox rows older than 5 s: {stuck}\n{log}"
    assert prober.sampled_max < OUTBOX_AGE_BOUND_S, f"outbox row too old\n{log}"
    node_faults = {k: v for k, v in windows.items() if k != "service replicas"}
    assert max(node_faults.values()) <= NODE_OUTAGE_BOUND_S, f"{node_faults}\n{log}"
    assert windows["service replicas"] <= REPLICA_OUTAGE_BOUND_S, f"{windows}\n{log}"


def wait_jobs_done(client: httpx.Client, jobs: list[str], timeout: float = 120) -> dict[str, str]:
    """Each job's status once all are done, or the ones that are not after `timeout`."""
    status: dict[str, str] = {}

    def done() -> bool:
        for job in jobs:
            if status.get(job) == "done":
                continue
            answer = client.get(f"/v1/sync/{job}")
            status[job] = (
                answer.json().get("status", "?")
                if answer.status_code == 200
                else str(answer.status_code)
            )
        return all(s == "done" for s in status.values())

    try:
        wait_until(done, timeout=timeout, interval=2.0, what="every sync job done")
    except AssertionError:
        return {j: s for j, s in status.items() if s != "done"}
    return {}
