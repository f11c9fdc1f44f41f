"""In-process wake-up: a commit that wrote outbox rows wakes the relay at once."""

from __future__ import annotations

import asyncio
import contextlib


class CommitSignal:
    """Set by a unit of work that committed outbox rows; awaited by the relay."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()

    async def wait(self, within_s: float) -> bool:
        """True if a commit happened (since the last wait), False after `within_s` s."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), within_s)
        fired = self._event.is_set()
        self._event.clear()
        return fired
