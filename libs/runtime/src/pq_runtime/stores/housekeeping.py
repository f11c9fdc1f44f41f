"""Inbox retention: forget processed event ids older than the retention period.

Keep the retention longer than any redelivery can come late (the stream's max age for
replays from the start, at least the consumers' `ack_wait` x `max_deliver`), else a very
late duplicate would be applied again.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

import structlog

log = structlog.get_logger(__name__)


class InboxStore(Protocol):
    async def purge_inbox(self, older_than_s: float) -> int: ...


async def purge_inbox_periodically(
    store: InboxStore, *, retention_s: float, interval_s: float = 300.0
) -> None:
    """Run as a task beside the consumers; cancel it on shutdown."""
    while True:
        try:
            purged = await store.purge_inbox(retention_s)
            if purged:
                log.info("inbox.purged", records=purged)
        except Exception as exc:  # a busy store: try again next round
            log.warning("inbox.purge_failed", error=repr(exc))
        await asyncio.sleep(interval_s)
