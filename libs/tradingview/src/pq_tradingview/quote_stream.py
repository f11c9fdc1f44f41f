"""Live quotes for a changing watchlist over one quote session, reconnecting by itself.

`async with client.quote_stream() as stream:` then `await stream.subscribe("NASDAQ:AAPL")` and
`async for event in stream:` (a `Quote`, a `SymbolRejected`, or a `QuotesDropped` when the
consumer fell so far behind that a symbol's backlog overflowed). After any reconnect the whole
current watchlist is subscribed again; callers never resubscribe. A `protocol_error` (bad
token) with a fixed token is not retried: iteration raises `ProtocolRejected`. Signed in,
the token is renewed on the open connection before it expires; a refused one means signing
in again on the next connect, and a refused sign-in waits out its hold (`status()` says why).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any

import aiohttp

from pq_domain import Symbol

from . import messages
from .auth_tokens import AuthTokens
from .backoff import Backoff
from .conflating_buffer import ConflatingBuffer, StreamClosed
from .connection import TradingViewConnection
from .errors import ConnectionLost, ProtocolRejected, RateLimited, RequestTimeout, SignInError
from .quote_session_state import QuoteSessionState
from .quote_stream_options import QuoteStreamOptions
from .settings import TradingViewSettings
from .stream_events import StreamEvent, StreamStatus

log = logging.getLogger(__name__)


class QuoteStream:
    def __init__(
        self,
        settings: TradingViewSettings,
        options: QuoteStreamOptions,
        *,
        http: aiohttp.ClientSession,
        auth: AuthTokens | None = None,
    ) -> None:
        self._settings = settings
        self._options = options
        self._http = http
        self._auth = auth or AuthTokens(settings, lambda: http)
        self._sent_token = ""  # what this connection's set_auth_token carried
        self._buffer = ConflatingBuffer(
            depth=options.backlog_per_symbol, max_rejections=options.max_pending_rejections
        )
        self._state = QuoteSessionState(self._buffer)
        self._lock = asyncio.Lock()  # orders (re)subscription against watchlist changes
        self._conn: TradingViewConnection | None = None  # set once its session is set up
        self._quote_session = ""
        self._runner: asyncio.Task[None] | None = None
        self._connected_since: float | None = None
        self._reconnects = 0
        self._silent_disconnects = 0
        self._last_error: str | None = None
        self._malformed_before = 0  # malformed messages on connections already closed

    async def __aenter__(self) -> QuoteStream:
        self.start()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    def start(self) -> None:
        if self._runner is None:
            self._runner = asyncio.create_task(self._run(), name="tradingview-quote-stream")

    async def stop(self) -> None:
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
            self._runner = None
        self._buffer.close()

    @property
    def watchlist(self) -> frozenset[Symbol]:
        return frozenset(self._state.symbols.values())

    async def subscribe(self, *symbols: Symbol | str) -> None:
        async with self._lock:
            added = self._state.add([_symbol(s) for s in symbols])
            if added and self._conn is not None:
                await self._send_quietly(messages.quote_add_symbols(self._quote_session, added))

    async def unsubscribe(self, *symbols: Symbol | str) -> None:
        async with self._lock:
            removed = self._state.remove([_symbol(s) for s in symbols])
            if removed and self._conn is not None:
                await self._send_quietly(
                    messages.quote_remove_symbols(self._quote_session, removed)
                )

    def status(self) -> StreamStatus:
        conn = self._conn
        return StreamStatus(
            connected=conn is not None and not conn.closed,
            connected_since=self._connected_since,
            reconnects=self._reconnects,
            silent_disconnects=self._silent_disconnects,
            conflated_quotes=self._buffer.conflated,
            dropped_rejections=self._buffer.dropped_rejections,
            malformed_messages=self._malformed_before + (conn.malformed_messages if conn else 0),
            last_error=self._state.critical_error or self._last_error,
            symbols=self._state.symbol_statuses(),
        )

    async def next_event(self) -> StreamEvent:
        return await self._buffer.get()

    async def __aiter__(self) -> AsyncIterator[StreamEvent]:
        while True:
            try:
                yield await self._buffer.get()
            except StreamClosed:
                return

    async def _run(self) -> None:
        backoff = Backoff(
            initial_s=self._options.backoff_initial_s, max_s=self._options.backoff_max_s
        )
        connections = 0
        while True:
            retry_after = 0.0
            try:
                conn = await self._open()
                connections += 1
                self._reconnects = max(0, connections - 1)
                await self._read(conn, backoff)
            except SignInError as exc:  # held by AuthTokens: wait it out, never loop on it
                self._last_error = str(exc)
                retry_after = self._auth.retry_in()
            except ProtocolRejected as exc:
                self._last_error = str(exc)
                if not self._auth.signs_in:
                    self._buffer.close(exc)  # a fixed token that is bad stays bad
                    return
                self._auth.invalidate(self._sent_token)  # expired or revoked: sign in again
                retry_after = self._auth.retry_in()
            except RequestTimeout as exc:
                self._silent_disconnects += 1
                self._last_error = f"silent connection: {exc}"
            except RateLimited as exc:
                self._last_error = str(exc)
                retry_after = exc.retry_after or 0.0
            except ConnectionLost as exc:
                self._last_error = str(exc)
            finally:
                await self._drop_connection()
            delay = backoff.next_delay(at_least=retry_after)
            log.warning("quote stream: %s; reconnecting in %.2fs", self._last_error, delay)
            await asyncio.sleep(delay)

    async def _open(self) -> TradingViewConnection:
        s = self._settings
        token = await self._auth.token()
        conn = await TradingViewConnection.open(
            self._http, s.url, origin=s.origin, timeout_s=s.connect_timeout_s
        )
        async with self._lock:
            self._quote_session = messages.new_session_id("qs_")
            self._state.start_over()
            self._sent_token = token
            try:
                await conn.send(messages.set_auth_token(token))
                await conn.send(messages.quote_create_session(self._quote_session))
                await conn.send(
                    messages.quote_set_fields(self._quote_session, self._options.fields)
                )
                if self._state.keys():
                    await conn.send(
                        messages.quote_add_symbols(self._quote_session, self._state.keys())
                    )
            except ConnectionLost:
                pass  # the read loop reports why (e.g. protocol_error before the close)
            self._conn = conn
            self._connected_since = time.time()
        return conn

    async def _read(self, conn: TradingViewConnection, backoff: Backoff) -> None:
        while True:
            packets = await self._receive(conn)
            if packets:
                backoff.reset()  # the server talks to us: the next drop starts from a short wait
            for packet in packets:
                self._state.handle(packet, self._quote_session)
            if packets:  # data after set_auth_token (a refused one gets protocol_error first)
                self._auth.worked(self._sent_token)
            if self._auth.refresh_due():
                await self._renew_token(conn)

    async def _receive(self, conn: TradingViewConnection) -> list[dict[str, Any]]:
        """The next message's packets, or none when it is time to renew the token first (a
        quiet connection may bring nothing but a heartbeat for longer than that)."""
        silence = self._options.silence_timeout_s
        quiet_for = time.monotonic() - conn.last_frame_at
        renew_in = self._auth.seconds_until_refresh()
        if renew_in is None or renew_in >= silence - quiet_for:
            return await conn.receive(silence - quiet_for)
        try:
            return await conn.receive(max(0.01, renew_in))
        except RequestTimeout:
            return []  # not silence: the renewal is due

    async def _renew_token(self, conn: TradingViewConnection) -> None:
        """A fresh token on the open connection, before the server's copy expires."""
        try:
            token = await self._auth.token()
        except SignInError as exc:  # keep streaming on the old token while it lasts
            self._last_error = str(exc)
            return
        if token != self._sent_token:
            await conn.send(messages.set_auth_token(token))
            self._sent_token = token

    async def _drop_connection(self) -> None:
        async with self._lock:
            conn, self._conn = self._conn, None
            self._connected_since = None
        if conn is not None:
            self._malformed_before += conn.malformed_messages
            await conn.close()

    async def _send_quietly(self, frame: str) -> None:
        conn = self._conn
        if conn is None:
            return
        with contextlib.suppress(ConnectionLost):  # the reader sees the drop and reconnects
            await conn.send(frame)


def _symbol(value: Symbol | str) -> Symbol:
    return value if isinstance(value, Symbol) else Symbol.parse(value)
