"""`client.bars(..., sync="auto")`: sync what the read model lacks, wait, then read."""

from __future__ import annotations

from ..frames import BarData
from ..times import now_ms
from .api import Api
from .bars import BarsQuery, SyncMode, covered_range, fetch_bars
from .gaps import SyncMemo, SyncRange, missing_ranges
from .jobs import JobListener, create_job, sync_body, wait_job
from .steps import Flow


def bars_flow(
    api: Api,
    query: BarsQuery,
    *,
    sync: SyncMode,
    arrow: bool,
    memo: SyncMemo,
    on_update: JobListener | None = None,
) -> Flow[BarData]:
    if sync not in ("auto", "never", "always"):
        raise ValueError(f"sync must be 'auto', 'never' or 'always', not {sync!r}")
    if sync != "never":
        end_ms = query.end_ms if query.end_ms is not None else now_ms()
        if sync == "always":
            gaps = missing_ranges(query.interval, query.start_ms, end_ms, None)
        else:
            covered = yield from covered_range(api, query)
            gaps = missing_ranges(query.interval, query.start_ms, end_ms, covered)
        for gap in gaps:
            if sync == "auto" and memo.covers(query.symbol, query.interval, gap):
                continue
            yield from sync_gap(api, query, gap, memo, on_update)
    return (yield from fetch_bars(api, query, arrow=arrow))


def sync_gap(
    api: Api,
    query: BarsQuery,
    gap: SyncRange,
    memo: SyncMemo,
    on_update: JobListener | None,
) -> Flow[None]:
    body = sync_body(
        query.symbol, query.interval, bars=gap.bars, start=gap.start_ms, end=gap.end_ms
    )
    job = yield from create_job(api, body)
    yield from wait_job(api, job, on_update=on_update, raise_on_failure=True)
    if gap.start_ms is not None and gap.end_ms is not None:
        memo.remember(query.symbol, query.interval, gap.start_ms, gap.end_ms)
