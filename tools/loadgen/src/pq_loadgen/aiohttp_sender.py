"""An aiohttp sender: ~7x less client CPU per request than httpx here (0.25 vs 1.8 ms,
measured on the 2-core dev machine), for rates where the client would compete with the
gateway for the same cores. Same contract as the httpx sender."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp

from .http_sender import HttpOptions
from .mix import Request
from .runner import Send


@asynccontextmanager
async def aiohttp_sender(options: HttpOptions) -> AsyncIterator[Send]:
    headers = {"X-API-Key": options.api_key} if options.api_key else {}
    connector = aiohttp.TCPConnector(limit=options.connections, ttl_dns_cache=300)
    timeout = aiohttp.ClientTimeout(total=options.timeout_s)
    async with aiohttp.ClientSession(
        base_url=options.base_url + "/",
        connector=connector,
        headers=headers,
        timeout=timeout,
        trust_env=False,
    ) as session:

        async def send(request: Request) -> int:
            # base_url joining needs a relative path; the body is read in full, like httpx.
            async with session.get(request.path.lstrip("/"), allow_redirects=False) as response:
                await response.read()
                return response.status

        yield send
