"""The server side of one WebSocket: framing, `t`/`t_ms` stamps, heartbeats, output faults."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from typing import Any

from aiohttp import web

from pq_tradingview.framing import encode_frame, encode_heartbeat

from .clock import SimClock
from .faults import Faults

log = logging.getLogger(__name__)

_GARBAGE = (
    "~m~12~m~{not json at",  # declared length longer than the message
    "~m~5~m~hello",  # payload is not JSON
    "garbage without a frame",
    "~m~x~m~{}",  # the length is not a number
    '~m~10~m~{"m":"qsd"',  # truncated JSON
)


class ClientLink:
    def __init__(
        self,
        ws: web.WebSocketResponse,
        transport: asyncio.Transport | None,
        clock: SimClock,
        faults: Faults,
        rng: random.Random,
    ) -> None:
        self._ws = ws
        self._transport = transport
        self._clock = clock
        self._faults = faults
        self._rng = rng
        self._lock = asyncio.Lock()
        self.last_echo_at = time.monotonic()

    @property
    def closed(self) -> bool:
        return self._ws.closed

    def packet(
        self, method: str, params: list[Any], *, stamped: bool = True, at_ms: int | None = None
    ) -> str:
        """A framed server packet; data packets carry the event time as `t` and `t_ms`:
        `at_ms` when the data is as of then (a history round made on the worker thread is
        stamped with the time its bars were cut at, or a client would take the forming bar
        for a closed one), else now."""
        body: dict[str, Any] = {"m": method, "p": params}
        if stamped:
            now = self._clock.now_ms() if at_ms is None else at_ms
            body["t"], body["t_ms"] = now // 1000, now
        return encode_frame(json.dumps(body, separators=(",", ":"), ensure_ascii=False))

    async def send(self, frames: list[str]) -> None:
        """Send `frames` concatenated in one WebSocket message, as the real server does."""
        if not frames or self._faults.silence or self._ws.closed:
            return
        async with self._lock:
            if self._faults.malformed_rate and self._rng.random() < self._faults.malformed_rate:
                await self._ws.send_str(self._rng.choice(_GARBAGE))
            await self._ws.send_str("".join(frames))

    async def run_heartbeats(self, interval_s: float, timeout_s: float) -> None:
        counter = 0
        while not self._ws.closed:
            await asyncio.sleep(interval_s)
            if self._faults.stop_heartbeats or self._faults.silence:
                self.last_echo_at = time.monotonic()  # we asked nothing, so expect nothing
                continue
            if time.monotonic() - self.last_echo_at > timeout_s:
                log.info("dropping a client that stopped echoing heartbeats")
                await self._ws.close()
                return
            counter += 1
            await self.send([encode_heartbeat(counter)])

    async def close(self) -> None:
        await self._ws.close()

    def abort(self) -> None:
        """Cut the TCP connection without a close frame (the client sees 1006)."""
        if self._transport is not None and not self._transport.is_closing():
            self._transport.abort()
