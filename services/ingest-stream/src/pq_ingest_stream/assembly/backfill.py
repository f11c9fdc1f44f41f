"""Gaps in a symbol's quotes -> rate-limited SyncRequested backfills."""

from __future__ import annotations

from collections.abc import Callable

from nats.js import JetStreamContext

from pq_runtime.messaging import SyncCommandPublisher

from ..handlers.gap_backfiller import GapBackfiller
from ..metrics import StreamMetrics
from ..model.backfill_plan import BackfillPolicy
from ..model.gap_tracker import GapTracker
from ..model.last_quotes import LastQuotes
from ..model.token_bucket import TokenBucket
from ..settings import IngestStreamSettings


def gap_backfiller(
    s: IngestStreamSettings,
    js: JetStreamContext,
    last_quotes: LastQuotes,
    metrics: StreamMetrics,
    clock: Callable[[], float],
) -> GapBackfiller:
    return GapBackfiller(
        GapTracker(settle_s=s.gap_settle_s, max_open_s=s.gap_max_open_s),
        BackfillPolicy(
            intervals=s.intervals(),
            initial_window_ms=round(s.initial_backfill_s * 1000),
            max_gap_ms=round(s.max_backfill_s * 1000),
        ),
        SyncCommandPublisher(js),
        TokenBucket(rate=s.backfill_rate_per_s, burst=s.backfill_burst, now=clock()),
        last_quotes,
        metrics,
        follow_up_delay_ms=round(s.backfill_follow_up_delay_s * 1000),
        clock=clock,
    )
