"""Tell JetStream a message is still being worked on while a long step runs."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

import structlog

log = structlog.get_logger(__name__)
Ping = Callable[[], Awaitable[object]]


@contextlib.asynccontextmanager
async def keeping_alive(ping: Ping, every_s: float) -> AsyncIterator[None]:
    """Call `ping` (e.g. `msg.in_progress`) every `every_s` s until the block ends.

    Without it a fetch longer than the consumer's ack_wait would be redelivered to
    another replica while this one still works on it.
    """

    async def beat() -> None:
        while True:
            await asyncio.sleep(every_s)
            try:
                await ping()
            except Exception as exc:  # a lost ping only risks a redelivery, which is idempotent
                log.warning("keep_alive.failed", error=repr(exc))

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
