"""One TradingView WebSocket: open (429 -> RateLimited), send packets, receive packets.

Heartbeats are echoed here, unchanged, so callers only ever see data packets. A message whose
framing is garbage is counted and skipped: framing restarts with every WebSocket message, so
the following messages are still readable.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import aiohttp

from .errors import ConnectionLost, FrameError, RateLimited, RequestTimeout
from .framing import Heartbeat, decode_message, encode_frame

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 64 * 1024 * 1024  # one 5000-bar round is ~0.5 MB; leave room for paid plans


class TradingViewConnection:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self._ws = ws
        self.hello: dict[str, Any] | None = None
        self.malformed_messages = 0
        self.last_frame_at = time.monotonic()

    @classmethod
    async def open(
        cls, http: aiohttp.ClientSession, url: str, *, origin: str, timeout_s: float
    ) -> TradingViewConnection:
        try:
            async with asyncio.timeout(timeout_s):
                ws = await http.ws_connect(
                    url,
                    headers={"Origin": origin},
                    max_msg_size=MAX_MESSAGE_BYTES,
                    timeout=aiohttp.ClientWSTimeout(ws_close=timeout_s),
                )
        except aiohttp.WSServerHandshakeError as exc:
            if exc.status == 429:
                raise RateLimited(
                    "HTTP 429 on the WebSocket upgrade", retry_after=_retry_after(exc)
                ) from exc
            raise ConnectionLost(f"WebSocket upgrade refused: HTTP {exc.status}") from exc
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise ConnectionLost(f"cannot connect to {url}: {exc!r}") from exc
        return cls(ws)

    @property
    def closed(self) -> bool:
        return self._ws.closed

    async def send(self, frame: str) -> None:
        try:
            await self._ws.send_str(frame)
        except (aiohttp.ClientError, ConnectionError, RuntimeError) as exc:
            raise ConnectionLost(f"send failed: {exc!r}") from exc

    async def receive(self, timeout_s: float) -> list[dict[str, Any]]:
        """The data packets of the next WebSocket message (maybe none: a heartbeat only)."""
        try:
            msg = await self._ws.receive(timeout=timeout_s)
        except TimeoutError:
            raise RequestTimeout(f"no frame from the server for {timeout_s:.1f}s") from None
        if msg.type is not aiohttp.WSMsgType.TEXT:
            if msg.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.PING):
                return []
            raise ConnectionLost(f"connection closed ({msg.type.name}, code {self._ws.close_code})")
        self.last_frame_at = time.monotonic()
        try:
            packets = decode_message(msg.data)
        except FrameError as exc:
            self.malformed_messages += 1
            log.warning("skipping a malformed TradingView message: %s", exc)
            return []
        data: list[dict[str, Any]] = []
        for packet in packets:
            if isinstance(packet, Heartbeat):
                await self.send(encode_frame(packet.payload))
            elif "m" in packet:
                data.append(packet)
            elif self.hello is None:
                self.hello = packet  # the server's first packet: session id, release, ...
        return data

    async def close(self) -> None:
        with contextlib.suppress(aiohttp.ClientError, ConnectionError, RuntimeError):
            await self._ws.close()  # already gone is fine


def _retry_after(exc: aiohttp.WSServerHandshakeError) -> float | None:
    value = exc.headers.get("Retry-After") if exc.headers else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
