"""GET /v1/bars as a bulk export: every bar of [start, end), streamed batch by batch.

Bars are read `export_batch_bars` at a time as Arrow batches (the reader's
`arrow_batches`), encoded and sent before the next is read, so memory stays one batch
however long the range. The same rows as the JSON pages, in the same order, so an
export holds exactly the bars the pages would. `limit` is ignored (the point is the whole
range); `cursor` starts after that bar; `sort=desc` and `fill=prev` are page options an
export refuses.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

from starlette.responses import StreamingResponse

from pq_domain import Interval
from pq_runtime.http.media_types import BarsMediaType

from ...model.coverage import CoveredRange, covered_range
from ...model.pages import BarQuery
from ...ports import BarModelReader
from ...resources import QueryResources
from ..problems import invalid
from .cache import ExportCache
from .encoders import encoder_for

COVERAGE_HEADER = "Pq-Coverage"
_EXTENSIONS = {
    BarsMediaType.CSV: "csv",
    BarsMediaType.PARQUET: "parquet",
    BarsMediaType.ARROW: "arrows",
}


def _most_bars(q: BarQuery, covered: CoveredRange | None) -> int:
    """An upper bound of the bars in the range: what is held, or what the span can hold."""
    if covered is None:
        return 0
    interval = Interval(q.interval)
    if not interval.is_intraday:
        return covered.bars
    low = max(covered.start, q.start if q.start is not None else covered.start)
    high = min(covered.end, q.end if q.end is not None else covered.end)
    return min(covered.bars, max(0, (high - low) // interval.millis + 1))


async def _batches(
    reader: BarModelReader, q: BarQuery, media_type: BarsMediaType, batch: int
) -> AsyncIterator[bytes]:
    encoder = encoder_for(media_type)
    low, high = q.bounds()
    async for record_batch in reader.arrow_batches(q.symbol, q.interval, low, high, batch):
        yield encoder.batch(record_batch)
    yield encoder.end()


async def export_response(
    r: QueryResources, q: BarQuery, media_type: BarsMediaType
) -> StreamingResponse:
    if q.direction != "asc":
        raise invalid("query.sort", "an export is in ascending order only")
    if q.fill != "none":
        raise invalid("query.fill", "an export holds stored bars only (fill=none)")
    reader = r.live.current.reader
    covered = covered_range(await reader.symbol(q.symbol), q.interval)
    cap = r.settings.export_max_bars
    if _most_bars(q, covered) > cap:
        raise invalid(
            "query.start",
            f"the range may hold more than {cap} bars (PQ_EXPORT_MAX_BARS); split it",
        )
    name = re.sub(r"[^A-Za-z0-9._-]", "_", f"{q.symbol}_{q.interval}")
    headers = {"Content-Disposition": f'attachment; filename="{name}.{_EXTENSIONS[media_type]}"'}
    if covered is not None:
        headers[COVERAGE_HEADER] = covered.header()
    body = await _body(r, q, media_type)
    return StreamingResponse(body, media_type=media_type.value, headers=headers)


async def _body(r: QueryResources, q: BarQuery, media_type: BarsMediaType) -> AsyncIterator[bytes]:
    live, settings = r.live.current, r.settings
    fresh = _batches(live.reader, q, media_type, settings.export_batch_bars)
    if r.cache is None:
        return fresh
    cursor = "" if q.cursor is None else q.cursor.encode()  # `limit` plays no part
    field = f"export|{media_type.value}|{q.start}|{q.end}|{cursor}"
    cached, count = await ExportCache.lookup(
        r.cache, live.generation, q.symbol, q.interval, field, settings.export_cache_max_bytes
    )
    return cached.record(fresh) if count is None else cached.replay(count)
