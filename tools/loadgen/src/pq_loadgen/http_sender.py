"""The real sender: one httpx client, HTTP/1.1 keep-alive pool, optional API key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

from .mix import Request
from .runner import Send


@dataclass(frozen=True, slots=True)
class HttpOptions:
    base_url: str
    connections: int = 16
    timeout_s: float = 10.0
    api_key: str | None = None


@asynccontextmanager
async def http_sender(options: HttpOptions) -> AsyncIterator[Send]:
    headers = {"X-API-Key": options.api_key} if options.api_key else {}
    limits = httpx.Limits(
        max_connections=options.connections, max_keepalive_connections=options.connections
    )
    async with httpx.AsyncClient(
        base_url=options.base_url,
        headers=headers,
        limits=limits,
        timeout=httpx.Timeout(options.timeout_s),
        http2=False,
        follow_redirects=False,
        trust_env=False,  # a proxy from the environment would measure the proxy, not us
    ) as client:

        async def send(request: Request) -> int:
            response = await client.get(request.path)  # reads the whole body
            return response.status_code

        yield send
