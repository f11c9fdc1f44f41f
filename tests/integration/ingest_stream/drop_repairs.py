"""The rig of the dropped-quote tests: shards that drop quotes, ingest-history to repair them."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nats.aio.client import Client

from pq_ingest_stream.bootstrap import RunningService
from pq_ingest_stream.settings import IngestStreamSettings
from pq_tvsim import Simulator
from tests.support.live_bars import BarKey
from tests.support.waiting import wait_for

from .drop_audit import (
    INTERVALS,
    MIN,
    Audit,
    burst_backfilled,
    dropped,
    ingest_history,
    next_bucket,
    set_speed,
    wait_event_time,
)

if TYPE_CHECKING:  # the conftest's fixture builds DropRepairs
    from .conftest import ShardSettings


@dataclass(frozen=True)
class DropRepairs:
    """Shards on this test's nats-server and fast simulator that drop quotes, and
    ingest-history (in-process, in `data_dir`) to repair them."""

    shards: ShardSettings
    nats_url: str
    simulator: Simulator
    data_dir: Path

    def shard_settings(self, backlog: int, **overrides: Any) -> IngestStreamSettings:
        """A shard whose session holds `backlog` quotes per symbol, backfilling the 1m and
        5m bars of what it drops."""
        return self.shards.make(
            shard_id="solo",
            tradingview_backlog_per_symbol=backlog,
            backfill_intervals=",".join(INTERVALS),
            initial_backfill_s=60,
            **overrides,
        )

    def ingest_history(self) -> contextlib.AbstractAsyncContextManager[None]:
        return ingest_history(self.nats_url, self.simulator, self.data_dir)

    def audit(self, nc: Client, until_ms: int, touched: frozenset[BarKey] = frozenset()) -> Audit:
        return Audit(nc, self.simulator, INTERVALS, until_ms, touched)

    async def burst_of_drops(self, nc: Client, service: RunningService) -> int:
        """Three market minutes at once (~100 ticks per symbol in one message), just past
        a 5m boundary, overflow the backlog. Market time then runs at wall speed until the
        gap was backfilled, so the 5m bucket holding the drops is surely still forming
        when that sync runs. Returns that bucket's start."""
        clock = self.simulator.world.clock
        boundary = next_bucket(clock.now_ms(), 5 * MIN)
        await wait_event_time(self.simulator, boundary + 10_000)
        set_speed(clock, 1.0)
        clock.anchor_ms += 3 * MIN
        await wait_for(
            lambda: burst_backfilled(nc, service, boundary), timeout=30, what="the burst's syncs"
        )
        assert dropped(service) > 0, "the burst dropped nothing: the test proves nothing"
        return boundary
