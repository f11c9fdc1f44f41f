"""The events a finished sync emits: symbol metadata, bar chunks, and the job's outcome."""

from __future__ import annotations

from collections.abc import Sequence

from pq_domain import Bar
from pq_domain.events import BarSynced, SyncRequested

MAX_BARS_PER_EVENT = 1000  # the contract's chunk size for BarSynced


def bar_chunks(
    command: SyncRequested, bars: Sequence[Bar], size: int = MAX_BARS_PER_EVENT
) -> list[BarSynced]:
    """BarSynced events of at most `size` bars each, in order, numbered `chunk` of `chunks`.

    Event ids are `bar-synced:<job_id>:<chunk>`, so re-emitting a job's chunks is dropped
    by the stream's duplicate window and by consumers' inboxes.
    """
    if size <= 0:
        raise ValueError(f"chunk size must be positive, got {size}")
    slices = [tuple(bars[i : i + size]) for i in range(0, len(bars), size)]
    return [
        BarSynced(
            job_id=command.job_id,
            symbol=command.symbol,
            interval=command.interval,
            bars=chunk,
            chunk=index,
            chunks=len(slices),
        )
        for index, chunk in enumerate(slices)
    ]
