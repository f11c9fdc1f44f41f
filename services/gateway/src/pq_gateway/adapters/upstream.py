"""HTTP GETs to the query service, behind a small port.

Production uses aiohttp: measured with bench/bench_gateway.py, httpx's pool served 85
requests/s at 32 concurrent requests where aiohttp served ~750 against the same query
service, and httpx's client layer added ~1 ms per request; forwarding is the gateway's
hot path. Unit tests plug an httpx client with a MockTransport in (HttpxUpstream).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

import aiohttp
import httpx
from yarl import URL


class UpstreamUnreachable(Exception):
    """Refused, reset or timed out."""


@dataclass(frozen=True, slots=True)
class UpstreamAnswer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass(frozen=True, slots=True)
class UpstreamStream:
    """An answer whose body is still coming: read `chunks`, then `close` (always)."""

    status: int
    headers: list[tuple[str, str]]
    chunks: AsyncIterator[bytes]
    close: Callable[[], Awaitable[None]]


class Upstream(Protocol):
    async def get(
        self, path: str, headers: dict[str, str], timeout_s: float | None = None
    ) -> UpstreamAnswer: ...

    async def stream(self, path: str, headers: dict[str, str]) -> UpstreamStream:
        """The answer as it arrives; no total timeout, only between chunks."""
        ...

    async def aclose(self) -> None: ...


class AiohttpUpstream:
    def __init__(self, base_url: str, *, max_connections: int, timeout_s: float) -> None:
        self._base_url = base_url.rstrip("/")
        self._max_connections = max_connections
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        # Created on first use, inside the running loop (never at import or build time).
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._max_connections),
                timeout=self._timeout,
                skip_auto_headers=("User-Agent",),
            )
        return self._session

    async def get(
        self, path: str, headers: dict[str, str], timeout_s: float | None = None
    ) -> UpstreamAnswer:
        timeout = aiohttp.ClientTimeout(total=timeout_s) if timeout_s else None
        url = URL(self._base_url + path, encoded=True)  # sent as escaped here
        try:
            async with self._open().get(
                url, headers=headers, allow_redirects=False, timeout=timeout
            ) as answer:
                body = await answer.read()
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise UpstreamUnreachable(repr(exc)) from exc
        return UpstreamAnswer(answer.status, [(k, v) for k, v in answer.headers.items()], body)

    async def stream(self, path: str, headers: dict[str, str]) -> UpstreamStream:
        # A long export may take minutes: bound the wait for each chunk, not the whole.
        timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=self._timeout.total, sock_read=self._timeout.total
        )
        url = URL(self._base_url + path, encoded=True)
        try:
            answer = await self._open().get(
                url, headers=headers, allow_redirects=False, timeout=timeout
            )
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise UpstreamUnreachable(repr(exc)) from exc

        async def release() -> None:
            answer.release()

        return UpstreamStream(
            answer.status,
            [(k, v) for k, v in answer.headers.items()],
            _aiohttp_chunks(answer),
            release,
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


class HttpxUpstream:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def get(
        self, path: str, headers: dict[str, str], timeout_s: float | None = None
    ) -> UpstreamAnswer:
        try:
            if timeout_s is None:
                answer = await self._client.get(path, headers=headers)
            else:
                answer = await self._client.get(path, headers=headers, timeout=timeout_s)
        except httpx.TransportError as exc:
            raise UpstreamUnreachable(repr(exc)) from exc
        return UpstreamAnswer(answer.status_code, list(answer.headers.items()), answer.content)

    async def stream(self, path: str, headers: dict[str, str]) -> UpstreamStream:
        try:
            request = self._client.build_request("GET", path, headers=headers)
            answer = await self._client.send(request, stream=True)
        except httpx.TransportError as exc:
            raise UpstreamUnreachable(repr(exc)) from exc
        return UpstreamStream(
            answer.status_code, list(answer.headers.items()), answer.aiter_raw(), answer.aclose
        )

    async def aclose(self) -> None:
        await self._client.aclose()


async def _aiohttp_chunks(answer: aiohttp.ClientResponse) -> AsyncIterator[bytes]:
    try:
        async for chunk in answer.content.iter_any():
            yield chunk
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        raise UpstreamUnreachable(repr(exc)) from exc
