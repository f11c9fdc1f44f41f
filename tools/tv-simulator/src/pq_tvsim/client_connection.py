"""One client on the simulator: auth, its chart and quote sessions, and what they stream."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from typing import Any

from pq_tradingview.errors import FrameError
from pq_tradingview.framing import Heartbeat, decode_message, encode_frame

from .chart_session import ChartSession
from .config import ANONYMOUS_TOKEN
from .link import ClientLink
from .quote_session import QuoteSession
from .world import World

log = logging.getLogger(__name__)
MIN_WAKE_S = 0.02  # the update loop's shortest sleep: ticks due closer together go out together


class ClientConnection:
    def __init__(self, world: World, link: ClientLink) -> None:
        self._world = world
        self.link = link
        self._delayed = True  # until a non-anonymous token arrives
        self._token_expires_at: float | None = None  # a signed-in token's expiry (epoch s)
        self._charts: dict[str, ChartSession] = {}
        self._quotes: dict[str, QuoteSession] = {}

    def hello(self) -> str:
        """The server's first packet: a JSON object without `m`."""
        now_ms = self._world.clock.now_ms()
        hello = {
            "session_id": f"0.{secrets.randbelow(9999)}.{secrets.randbelow(999)}_sim-charts-1",
            "timestamp": now_ms // 1000,
            "timestampMs": now_ms,
            "release": "pq-tvsim",
            "studies_metadata_hash": "0" * 40,
            "auth_scheme_vsn": 2,
            "protocol": "json",
            "via": "127.0.0.1:0",
            "javastudies": ["3.66"],
        }
        return encode_frame(json.dumps(hello, separators=(",", ":")))

    async def on_message(self, text: str) -> bool:
        """Handle one client message; False once the connection must close (bad token)."""
        try:
            packets = decode_message(text)
        except FrameError as exc:
            log.info("ignoring a malformed client message: %s", exc)
            return True
        for packet in packets:
            if isinstance(packet, Heartbeat):
                self.link.last_echo_at = time.monotonic()
                continue
            method, params = packet.get("m"), packet.get("p")
            if not isinstance(method, str) or not isinstance(params, list):
                continue
            if self._world.faults.reply_delay_s:
                await asyncio.sleep(self._world.faults.reply_delay_s)
            if not await self._dispatch(method, params):
                return False
        return True

    async def _set_auth_token(self, token: object) -> bool:
        """A valid token gets no answer; a bad, forged or expired one `protocol_error` and a
        close. A client may send a fresh token on an open connection before the old expires."""
        expires_at = self._world.tokens.expires_at(token) if isinstance(token, str) else None
        if expires_at is None and token not in self._world.config.accepted_tokens:
            await self._reject_token()
            return False
        self._token_expires_at = expires_at
        self._delayed = token == ANONYMOUS_TOKEN
        return True

    async def _reject_token(self) -> None:
        self._world.tokens.bad_tokens += 1
        link = self.link
        await link.send([link.packet("protocol_error", ["bad auth token"], stamped=False)])

    async def _dispatch(self, method: str, params: list[Any]) -> bool:
        link = self.link
        if method == "set_auth_token":
            return await self._set_auth_token(params[0] if params else None)
        session_id = params[0] if params and isinstance(params[0], str) else ""
        if method in self._world.faults.critical_error_methods:
            await link.send([_critical(link, session_id, method, params[1:])])
            return True
        if method == "chart_create_session":
            self._charts[session_id] = ChartSession(
                session_id, self._world, link, delayed=self._delayed
            )
        elif method == "quote_create_session":
            self._quotes[session_id] = QuoteSession(
                session_id, self._world, link, delayed=self._delayed
            )
        elif method == "chart_delete_session":
            self._charts.pop(session_id, None)
        elif method == "quote_delete_session":
            self._quotes.pop(session_id, None)
        elif method in ("set_locale", "set_data_quality"):
            pass
        elif session_id in self._charts:
            await link.send(await self._charts[session_id].handle(method, params))
        elif session_id in self._quotes:
            await link.send(self._quotes[session_id].handle(method, params))
        else:
            await link.send([_critical(link, session_id, method, params[1:])])
        return True

    async def run_updates(self, interval_s: float) -> None:
        """Push quote diffs as their ticks fall due and `du` bar updates every `interval_s`.

        The loop wakes at the next tick (never more often than MIN_WAKE_S x speed), so a quote
        leaves within a few milliseconds of its `lp_time`, not up to a whole interval later.
        """
        charts_due = 0.0
        while not self.link.closed:
            await asyncio.sleep(self._pause(interval_s))
            if self._token_expires_at is not None and time.time() >= self._token_expires_at:
                log.info("closing a connection whose auth token expired")
                await self._reject_token()  # the token ran out and no fresh one came
                await self.link.close()
                return
            now = self._world.clock.now_ms()
            frames: list[str] = []
            for quotes in list(self._quotes.values()):
                frames.extend(quotes.updates(now))
            if time.monotonic() >= charts_due:
                charts_due = time.monotonic() + interval_s
                for chart in list(self._charts.values()):
                    frames.extend(chart.updates(now))
            for start in range(0, len(frames), 200):  # a few hundred packets per message at most
                await self.link.send(frames[start : start + 200])

    def _pause(self, interval_s: float) -> float:
        clock = self._world.clock
        shortest = MIN_WAKE_S * clock.speed  # at 30x, ticks are dense: keep the plain cadence
        if shortest >= interval_s:
            return interval_s
        due = [q.next_tick_ms() for q in list(self._quotes.values())]
        soonest = min((t for t in due if t is not None), default=None)
        if soonest is None:
            return interval_s
        return min(interval_s, max(shortest, clock.seconds_until(soonest)))


def _critical(link: ClientLink, session_id: str, method: str, args: list[Any]) -> str:
    """`critical_error` as `[session_id, name, description]`; the args echoed leave the
    session id out, as the real server's do."""
    description = f'method: {method}. args: "[{", ".join(str(a) for a in args)}]"'
    return link.packet("critical_error", [session_id, "invalid parameters", description])
