"""An SSE response that stops as soon as the client goes away.

Starlette's StreamingResponse no longer listens for `http.disconnect` on ASGI 2.4
servers (it waits for a failed write), which for a quiet feed means up to a heartbeat
of leaked subscriptions; here a second task watches `receive()` and ends the stream.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Protocol

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from .frames import SseEvent, comment, retry_hint


class Feed(Protocol):
    async def next_event(self) -> SseEvent: ...

    async def close(self) -> None: ...


RECONNECT_HINT_MS = 3000


class EventStreamResponse(StreamingResponse):
    media_type = "text/event-stream"

    def __init__(
        self, feed: Feed, *, heartbeat_s: float, on_close: Callable[[], None] | None = None
    ) -> None:
        super().__init__(
            content=iter(()),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
        self._feed = feed
        self._heartbeat_s = heartbeat_s
        self._on_close = on_close  # gives the stream's slot back (streaming/slots.py)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
            pump = asyncio.create_task(self._pump(send))
            watch = asyncio.create_task(_until_disconnect(receive))
            done, pending = await asyncio.wait({pump, watch}, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
            for task in pending | done:
                with contextlib.suppress(asyncio.CancelledError, OSError):
                    await task  # a write to a closed connection (OSError) is a disconnect
        finally:
            try:
                await self._feed.close()
            finally:
                if self._on_close is not None:
                    self._on_close()

    async def _pump(self, send: Send) -> None:
        await self._write(send, retry_hint(RECONNECT_HINT_MS) + comment("subscribed"))
        while True:
            try:
                event = await asyncio.wait_for(self._feed.next_event(), self._heartbeat_s)
            except TimeoutError:
                await self._write(send, comment("heartbeat"))
                continue
            await self._write(send, event.encode())

    @staticmethod
    async def _write(send: Send, chunk: bytes) -> None:
        await send({"type": "http.response.body", "body": chunk, "more_body": True})


async def _until_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
