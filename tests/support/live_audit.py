"""Audit a finished live run: read model vs. bars recomputed from the stored raw quotes.

`LiveAudit.collect` reads PQ_QUOTES and PQ_BARS back in stream order and the read model
through the gateway, restricted to live-covered buckets (tests/support/live_bars.py).
`problems()` lists every rule broken, with examples; empty means all held:

1. the final BarCompleted of every live-covered bucket equals the reference bar computed
   from the raw quotes (same OHLC, volume per the documented rule), no bucket missing or
   extra;
2. the read model holds exactly the reference's keys plus synced ones, each equal to
   the synced bar when history was synced for it (synced wins), else to the reference;
3. synced bars equal the simulator's own history (same seed and start, in-process);
4. no Nats-Msg-Id stored twice in PQ_BARS, no BarCompleted key+revision twice.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import nats
from nats.aio.client import Client

from pq_domain import Interval
from tests.support.jetstream_log import read_stream
from tests.support.live_bars import (
    LATENESS_MS,
    LIVE_INTERVALS,
    BarKey,
    Window,
    completed_rows,
    differences,
    duplicate_deliveries,
    expected_read_model,
    live_windows,
    quotes_of,
    reference_rows,
    restrict,
    synced_rows,
)
from tests.support.live_flow import wait_quiet
from tests.support.pq_rest import all_bars
from tests.support.sim_reference import BarRow, simulator_rows
from tests.support.stack_runner import E2eStack


@dataclass
class LiveAudit:
    windows: dict[str, Window]
    reference: dict[BarKey, BarRow]
    completed: dict[BarKey, BarRow]
    synced: dict[BarKey, BarRow]
    read_model: dict[BarKey, BarRow]
    duplicates: dict[str, list[str]]
    quotes: int
    bar_events: int
    simulator: dict[BarKey, BarRow] = field(default_factory=dict)

    @classmethod
    async def collect(
        cls,
        nc: Client,
        client: httpx.Client,
        symbols: tuple[str, ...],
        intervals: tuple[str, ...] = LIVE_INTERVALS,
        lateness_ms: int = LATENESS_MS,
    ) -> LiveAudit:
        quote_messages = await read_stream(nc, "PQ_QUOTES", "pq.quotes.>")
        bar_messages = await read_stream(nc, "PQ_BARS", "pq.bars.>")
        quotes = quotes_of(quote_messages)
        windows = live_windows(quotes)
        read_model = await asyncio.to_thread(read_live_bars, client, windows, intervals)
        return cls(
            windows=windows,
            reference=restrict(reference_rows(quotes, intervals, lateness_ms), windows, intervals),
            completed=restrict(completed_rows(bar_messages), windows, intervals),
            synced=restrict(synced_rows(bar_messages), windows, intervals),
            read_model=read_model,
            duplicates=duplicate_deliveries(bar_messages),
            quotes=len(quotes),
            bar_events=len(bar_messages),
        )

    def with_simulator(self, seed: int, start_ms: int, universe: Path | None = None) -> LiveAudit:
        """Add the simulator's own bars for every synced key (rule 3)."""
        wanted: dict[tuple[str, str], list[int]] = {}
        for symbol, interval, t in self.synced:
            wanted.setdefault((symbol, interval), []).append(t)
        for (symbol, interval), times in wanted.items():
            window = self.windows[symbol]
            count = (window.last_ts - min(times)) // Interval.parse(interval).millis + 2
            rows = simulator_rows(
                symbol,
                interval,
                seed=seed,
                start_ms=start_ms,
                now_ms=window.last_ts,
                count=count,
                universe=universe,
            )
            by_t = {row[0]: row for row in rows}
            self.simulator |= {(symbol, interval, t): by_t[t] for t in times if t in by_t}
        return self

    def problems(
        self,
        symbols: tuple[str, ...],
        intervals: tuple[str, ...] = LIVE_INTERVALS,
        covered: tuple[str, ...] | None = None,
    ) -> list[str]:
        """Every rule broken; `covered` names the intervals that must have at least one
        live-covered bucket per symbol (default: all of `intervals`)."""
        found: list[str] = []
        silent = sorted(set(symbols) - set(self.windows))
        if silent:
            found.append(f"no quotes at all for {silent}")
        buckets = Counter((k[0], k[1]) for k in self.reference)
        required = intervals if covered is None else covered
        empty = [(s, i) for s in symbols for i in required if not buckets[(s, i)]]
        if empty:
            found.append(f"no live-covered bucket for {empty[:6]}: the flow did not last")
        found += differences(self.completed, self.reference, "BarCompleted vs reference")
        expected = expected_read_model(self.reference, self.synced)
        found += differences(self.read_model, expected, "read model vs expected")
        if self.simulator or self.synced:
            found += differences(self.synced, self.simulator, "BarSynced vs simulator")
        found += [
            f"{what} stored twice: {dups[:4]}" for what, dups in self.duplicates.items() if dups
        ]
        return found

    def summary(self) -> str:
        first = min(w.first_ts for w in self.windows.values())
        last = max(w.last_ts for w in self.windows.values())
        span = f"{_hhmm(first)}..{_hhmm(last)} UTC"
        return (
            f"{self.quotes} quotes from {len(self.windows)} symbols ({span}); "
            f"{len(self.reference)} live-covered buckets, {len(self.synced)} of them synced; "
            f"{self.bar_events} PQ_BARS events"
        )


def read_live_bars(
    client: httpx.Client, windows: dict[str, Window], intervals: tuple[str, ...]
) -> dict[BarKey, BarRow]:
    """The read model's bars (GET /v1/bars through the gateway) in each symbol's window."""
    bars: dict[BarKey, BarRow] = {}
    for symbol, window in sorted(windows.items()):
        for interval in intervals:
            rows, _ = all_bars(
                client, symbol, interval, start=window.first_ts, end=window.last_ts + 1
            )
            keyed = {(symbol, interval, row[0]): row for row in rows}
            assert len(keyed) == len(rows), f"{symbol} {interval}: a t listed twice"
            bars |= restrict(keyed, windows, intervals)
    return bars


def _hhmm(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%a %H:%M")


@dataclass(frozen=True)
class AuditedRun:
    audit: LiveAudit
    quiet_s: float
    audit_s: float


def audit_quiet_stack(
    stack: E2eStack, client: httpx.Client, symbols: tuple[str, ...], quiet_within: float = 90.0
) -> AuditedRun:
    """Once the flow stopped: wait for quiet (at most `quiet_within` s), then audit
    (simulator comparison included)."""

    async def run() -> AuditedRun:
        nc = await nats.connect(stack.nats_urls, name="audit", connect_timeout=5)
        try:
            quiet_s = await wait_quiet(stack, nc, quiet_within)
            began = time.monotonic()
            lateness_ms = int(stack.env.get("PQ_LATENESS_MS", LATENESS_MS))
            audit = await LiveAudit.collect(nc, client, symbols, lateness_ms=lateness_ms)
        finally:
            await nc.close()
        start_ms = int(datetime.fromisoformat(stack.env["PQ_TVSIM_START"]).timestamp() * 1000)
        universe = stack.env.get("PQ_TVSIM_UNIVERSE")
        audit.with_simulator(
            int(stack.env["PQ_TVSIM_SEED"]), start_ms, Path(universe) if universe else None
        )
        return AuditedRun(audit, quiet_s, time.monotonic() - began)

    return asyncio.run(run())
