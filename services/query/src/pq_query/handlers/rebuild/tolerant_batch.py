"""A replayed batch without its poison messages (the live consumer dead-lettered those)."""

from __future__ import annotations

from collections.abc import Sequence

from pq_domain.events import InvalidEvent
from pq_runtime.messaging import Delivery, PermanentError

from ...ports import BarBatch
from ..bar_events import bar_batch


def tolerant_bar_batch(deliveries: Sequence[Delivery]) -> tuple[BarBatch, int]:
    """(the batch of every decodable delivery, how many were skipped)."""
    try:
        return bar_batch(deliveries), 0
    except (InvalidEvent, PermanentError):
        pass
    merged, bad = BarBatch(), 0
    for d in deliveries:
        try:
            one = bar_batch([d])
        except (InvalidEvent, PermanentError):
            bad += 1
            continue
        merged.extend(one)
    return merged, bad
