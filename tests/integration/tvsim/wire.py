"""A bare WebSocket on the simulator: send packets, read them back in order, echo heartbeats."""

from __future__ import annotations

from typing import Any

import aiohttp

from pq_tradingview import Heartbeat, decode_message, encode_frame, encode_packet


class Wire:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.pending: list[Any] = []

    async def send(self, method: str, *params: Any) -> None:
        await self.ws.send_str(encode_packet(method, list(params)))

    async def next(self, timeout: float = 10.0) -> Any:  # noqa: ASYNC109 - one receive's limit
        """The next data packet; aiohttp.WSMsgType.CLOSE* once the server closed."""
        while not self.pending:
            msg = await self.ws.receive(timeout=timeout)
            if msg.type is not aiohttp.WSMsgType.TEXT:
                return msg.type
            for packet in decode_message(msg.data):
                if isinstance(packet, Heartbeat):
                    await self.ws.send_str(encode_frame(packet.payload))
                else:
                    self.pending.append(packet)
        return self.pending.pop(0)

    async def until(self, *methods: str, limit: int = 500) -> dict[str, Any]:
        for _ in range(limit):
            packet = await self.next()
            if not isinstance(packet, dict):
                raise AssertionError(f"connection ended ({packet}) before {methods}")
            if packet.get("m") in methods:
                return packet
        raise AssertionError(f"no {methods} in {limit} packets")
