"""GETs to the query service over a pool of kept-alive HTTP/1.1 connections, parsed by
httptools (the parser uvicorn serves with), for the forwarded reads' hot path.

aiohttp's client spent more of the gateway's CPU per forwarded read than any other part
(bench/bench_gateway.py, profiled): request and header objects, a stream reader, timeout
objects. A forwarded read needs none of that: one request line and two headers out, one
framed answer (Content-Length or chunked) back, read whole. Bodies streamed through
(exports) still go through aiohttp (`stream`).

A kept-alive connection the server has closed meanwhile (uvicorn closes idle ones after
5 s) is noticed when the request finds it closed or gets no byte back; the GET is then
sent again once on a new connection (reads are safe to repeat).
"""

from __future__ import annotations

import asyncio
import re
import ssl
from typing import cast
from urllib.parse import quote, urlsplit

import httptools

from .upstream import AiohttpUpstream, UpstreamAnswer, UpstreamStream, UpstreamUnreachable

# Bytes that would end or split a request line: escaped (a client's raw query never has them).
_UNSAFE_TARGET = re.compile(r"[\x00-\x20\x7f]")


class _Stale(Exception):
    """The connection was closed before any byte of the answer came back."""


class _Connection(asyncio.Protocol):
    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.reusable = False
        self._waiter: asyncio.Future[UpstreamAnswer] | None = None
        self._parser = httptools.HttpResponseParser(self)
        self._headers: list[tuple[str, str]] = []
        self._body: list[bytes] = []
        self._answered = False  # a byte of the current answer arrived
        self._status: int | None = None

    def exchange(self, request: bytes) -> asyncio.Future[UpstreamAnswer]:
        assert self.transport is not None
        self._waiter = asyncio.get_running_loop().create_future()
        self._headers, self._body, self._answered, self._status = [], [], False, None
        self.transport.write(request)
        return self._waiter

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's: not a subclass

    def data_received(self, data: bytes) -> None:
        self._answered = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(UpstreamUnreachable(f"malformed answer: {exc}"))
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True  # an answer is always framed (uvicorn): a close ends none
        if not self._answered:
            self._fail(_Stale())
        else:
            self._fail(UpstreamUnreachable(f"connection lost mid-answer: {exc!r}"))

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers.append((name.decode("latin-1"), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        self._status = self._parser.get_status_code()

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is None or waiter.done() or self._status is None:
            return
        self.reusable = not self.closed and self._parser.should_keep_alive()
        waiter.set_result(UpstreamAnswer(self._status, self._headers, b"".join(self._body)))

    def _fail(self, exc: Exception) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)


class Http1Upstream:
    def __init__(self, base_url: str, *, max_connections: int, timeout_s: float) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"an http(s) URL is needed for the query service, not {base_url!r}")
        self._host = parts.hostname
        self._port = parts.port or (443 if parts.scheme == "https" else 80)
        self._ssl = ssl.create_default_context() if parts.scheme == "https" else None
        self._prefix = parts.path.rstrip("/")
        self._host_line = f"Host: {parts.netloc}\r\n"
        self._timeout_s = timeout_s
        self._slots = asyncio.Semaphore(max_connections)
        self._idle: list[_Connection] = []
        self._streams = AiohttpUpstream(
            base_url, max_connections=max_connections, timeout_s=timeout_s
        )

    async def get(
        self, path: str, headers: dict[str, str], timeout_s: float | None = None
    ) -> UpstreamAnswer:
        request = self._request(path, headers)
        timeout = timeout_s or self._timeout_s
        async with self._slots:
            try:
                async with asyncio.timeout(timeout):
                    return await self._send(request)
            except TimeoutError as exc:
                raise UpstreamUnreachable(f"no answer within {timeout} s") from exc

    async def _send(self, request: bytes) -> UpstreamAnswer:
        while True:
            connection = self._idle.pop() if self._idle else None
            reused = connection is not None and not connection.closed
            if not reused:
                connection = await self._connect()
            assert connection is not None
            try:
                answer = await connection.exchange(request)
            except _Stale as exc:
                if reused:
                    continue  # closed by the server while idle: once more on a new one
                raise UpstreamUnreachable("connection closed before the answer") from exc
            except BaseException:
                connection.close()  # timed out or cancelled mid-exchange: state unknown
                raise
            if connection.reusable:
                self._idle.append(connection)
            else:
                connection.close()
            return answer

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        try:
            _, connection = await loop.create_connection(
                _Connection, self._host, self._port, ssl=self._ssl
            )
        except OSError as exc:
            raise UpstreamUnreachable(repr(exc)) from exc
        return connection

    def _request(self, path: str, headers: dict[str, str]) -> bytes:
        target = self._prefix + path
        if _UNSAFE_TARGET.search(target):
            target = quote(target, safe="".join(map(chr, range(0x21, 0x7F))))
        lines = [f"GET {target} HTTP/1.1\r\n", self._host_line]
        for name, value in headers.items():
            if "\r" in value or "\n" in value:
                raise ValueError(f"header {name} holds a line break")
            lines.append(f"{name}: {value}\r\n")
        lines.append("\r\n")
        return "".join(lines).encode()

    async def stream(self, path: str, headers: dict[str, str]) -> UpstreamStream:
        return await self._streams.stream(path, headers)

    async def aclose(self) -> None:
        for connection in self._idle:
            connection.close()
        self._idle.clear()
        await self._streams.aclose()
