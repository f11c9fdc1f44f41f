"""Audit of dropped-quote repairs: live bars (from the stored quotes) vs. the simulator's
bars vs. the synced ones, with ingest-history running in-process to do the syncing."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path

from nats.aio.client import Client

from pq_domain import Interval, Symbol
from pq_ingest_history.bootstrap import running_service as running_history
from pq_ingest_history.settings import IngestHistorySettings
from pq_ingest_stream.bootstrap import RunningService
from pq_ingest_stream.model.follow_ups import FollowUp
from pq_tvsim import Simulator
from pq_tvsim.clock import SimClock
from pq_tvsim.resolution import Resolution
from tests.support.jetstream_log import read_stream
from tests.support.live_bars import BarKey, quotes_of, reference_rows, same_bar, synced_rows
from tests.support.sim_reference import RESOLUTIONS, BarRow
from tests.support.waiting import wait_for

SYMBOLS = ("BINANCE:BTCUSDT", "BINANCE:ETHUSDT", "BINANCE:SOLUSDT")
INTERVALS = ("1m", "5m")
MIN = 60_000


@contextlib.asynccontextmanager
async def ingest_history(nats_url: str, simulator: Simulator, tmp: Path) -> AsyncIterator[None]:
    settings = IngestHistorySettings(
        nats_url=nats_url,
        store_url=f"sqlite:///{tmp / 'ingest-history.db'}",
        data_dir=tmp,
        http_port=0,
        tradingview_url=simulator.url,
        tradingview_request_timeout_s=20.0,
        fetch_backoff_initial_s=0.1,
        scheduler_enabled=False,
        log_json=False,
    )
    async with running_history(settings):
        yield


class Audit:
    """Live bars (recomputed from the stored quotes) vs. the simulator vs. the synced bars."""

    def __init__(
        self,
        nc: Client,
        simulator: Simulator,
        intervals: tuple[str, ...],
        until_ms: int,
        touched: frozenset[BarKey] = frozenset(),
    ) -> None:
        self._nc = nc
        self._simulator = simulator
        self._intervals = intervals
        self._until_ms = until_ms
        self._touched = touched  # buckets known to hold drops: synced whatever their live bar
        self.holes: dict[BarKey, BarRow] = {}  # bucket -> the simulator's (true) bar
        self.unrepaired: list[tuple[BarKey, BarRow | None, BarRow]] = []

    async def repaired(self) -> bool:
        quotes = quotes_of(await read_stream(self._nc, "PQ_QUOTES", "pq.quotes.>"))
        live = reference_rows(quotes, self._intervals)
        first = {s: min(q.ts for q in quotes if str(q.symbol) == s) for s in SYMBOLS}
        true_bars = self._simulator_bars(first)
        self.holes = {
            key: true
            for key, true in true_bars.items()
            if key not in live or not same_bar(live[key], true)
        }
        synced = synced_rows(await read_stream(self._nc, "PQ_BARS", "pq.bars.synced.>"))
        self.unrepaired = [
            (key, synced.get(key), true)
            for key, true in sorted(true_bars.items())
            if (key in self.holes or key in self._touched)
            and (key not in synced or not same_bar(synced[key], true))
        ]
        return bool(self.holes) and not self.unrepaired

    def _simulator_bars(self, first: dict[str, int]) -> dict[BarKey, BarRow]:
        """The simulator's bars of every bucket wholly inside [first quote, until]."""
        bars: dict[BarKey, BarRow] = {}
        for symbol, first_ts in first.items():
            market = self._simulator.world.market(symbol)
            for interval in self._intervals:
                length = Interval.parse(interval).millis
                resolution = Resolution.parse(RESOLUTIONS[interval])
                count = (self._until_ms - first_ts) // length + 2
                rows = market.bars_before(resolution, self._until_ms, count)
                bars |= {
                    (symbol, interval, row[0]): row
                    for row in rows.rows()
                    if row[0] >= first_ts and row[0] + length <= self._until_ms
                }
        return bars


def next_bucket(ts_ms: int, length_ms: int) -> int:
    return ts_ms - ts_ms % length_ms + length_ms


def dropped(service: RunningService) -> float:
    return service.registry.get_sample_value("pq_stream_conflated_quotes") or 0.0


async def wait_event_time(simulator: Simulator, past_ms: int) -> None:
    clock = simulator.world.clock
    await wait_for(lambda: _async(clock.now_ms() > past_ms), timeout=30, what="event time")


def set_speed(clock: SimClock, speed: float) -> None:
    """Market time runs on from where it is, at `speed` times the wall clock."""
    clock.anchor_ms, clock.wall0, clock.speed = clock.now_ms(), time.monotonic(), speed


async def completed_jobs(nc: Client) -> set[str]:
    """The job ids ingest-history completed (SyncJobCompleted on PQ_JOBS)."""
    jobs = await read_stream(nc, "PQ_JOBS", "pq.jobs.>")
    return {
        str(m.payload["job_id"])
        for m in jobs
        if m.headers.get("Pq-Event-Type") == "SyncJobCompleted"
    }


async def burst_backfilled(nc: Client, service: RunningService, bucket_start: int) -> bool:
    """The gap commands covering the 5m bucket at `bucket_start` left (each symbol waits
    for that bucket's follow-up), and ingest-history has done every command sent so far
    (PQ_CMD, a work queue, is empty). Earlier drops may have widened the gap: its command
    ids are not known in advance, its follow-up is."""
    end = bucket_start + 5 * MIN
    for text in SYMBOLS:
        symbol = Symbol.parse(text)
        if FollowUp(symbol, Interval.M5, bucket_start, end) not in (
            service.backfiller.follow_ups_of(symbol)
        ):
            return False
    return (await nc.jetstream().stream_info("PQ_CMD")).state.messages == 0


async def repaired(audit: Audit) -> Audit:
    try:
        await wait_for(audit.repaired, timeout=60, interval=0.5, what="repaired bars")
    except AssertionError:
        raise AssertionError(
            f"{len(audit.unrepaired)} of {len(audit.holes)} broken bars not repaired "
            f"(key, synced, simulator): {audit.unrepaired[:4]}"
        ) from None
    return audit


async def _async(value: bool) -> bool:
    return value
