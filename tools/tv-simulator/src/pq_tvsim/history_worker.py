"""History rounds are generated on one worker thread, never on the event loop.

A cold 5,000-bar 1D round generates every minute of ~13 years (~3 s for a 24x7 symbol):
on the loop, that stalled every client's quotes for as long and then burst them, which
overflowed the quote clients' backlogs. On a thread, the loop keeps its turn (the GIL is
handed over every few ms) and quotes keep flowing while history is served.

One thread, not a pool: history is CPU-bound Python under the GIL, so more threads would
not finish sooner, only take more turns from the loop and generate the same days twice.
The thread starts on first use, so a World built only to compute bars (tests) starts none,
and a stopped simulator that is started again gets a new one.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class HistoryWorker:
    def __init__(self) -> None:
        self._executor: ThreadPoolExecutor | None = None
        self.pending = 0  # rounds queued or running (GET /control/status)

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`fn(*args, **kwargs)` on the worker thread; it must not change session state."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tvsim-history")
        loop = asyncio.get_running_loop()
        self.pending += 1
        try:
            return await loop.run_in_executor(
                self._executor, functools.partial(fn, *args, **kwargs)
            )
        finally:
            self.pending -= 1

    def close(self) -> None:
        """Drop queued rounds; a round already running finishes on its own (it is pure)."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
