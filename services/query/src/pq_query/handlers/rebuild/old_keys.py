"""Rows keyed by the old rule, left out of a rebuilt bars model.

Until intraday bars were aligned to the session open, live-built bars (and the
simulator's history) were keyed at UTC multiples of the interval: a US stock's 1h bars
at 14:00, 15:00 UTC where the session grid has 14:30, 15:30. Such a bar cannot be
re-keyed (it holds ticks of two bars of the new grid), so a rebuild leaves it out and
counts it; re-syncing the range (docs/operations.md) brings the bars back under the new
keys. A row is old-keyed when its key is a UTC multiple of its interval but not a key
of the symbol's session grid (`pq_domain.BucketGrid`, the session the bar builder
assumes); bars of the provider's own session, even one we do not know, are kept unless
they look exactly like old keys.
"""

from __future__ import annotations

from pq_domain import BucketGrid, Interval, Symbol, default_session

from ...ports import BarBatch


class OldKeyFilter:
    def __init__(self) -> None:
        self._grids: dict[tuple[str, str], BucketGrid | None] = {}
        self.dropped = 0

    def __call__(self, batch: BarBatch) -> BarBatch:
        kept = [row for row in batch.rows if not self._old(row[0], row[1], row[2])]
        self.dropped += len(batch.rows) - len(kept)
        batch.rows = kept
        return batch

    def _old(self, symbol: str, interval: str, t: int) -> bool:
        grid = self._grid(symbol, interval)
        return grid is not None and t % grid.length == 0 and not grid.is_key(t)

    def _grid(self, symbol: str, interval: str) -> BucketGrid | None:
        key = (symbol, interval)
        if key not in self._grids:
            parsed, every = Symbol.parse(symbol), Interval(interval)
            session = default_session(parsed.exchange, parsed.code)
            self._grids[key] = BucketGrid(every, session) if every.is_intraday else None
        return self._grids[key]
