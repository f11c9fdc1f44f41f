"""Concurrent live streams are capped per caller (PQ_SSE_MAX_STREAMS_PER_KEY) and per
gateway (PQ_SSE_MAX_STREAMS): beyond them a 429 problem; a closed stream frees its slot."""

from __future__ import annotations

from contextlib import AsyncExitStack

import httpx
from nats.aio.client import Client

from pq_gateway.main import create_app
from pq_gateway.settings import GatewaySettings
from tests.support.held_streams import hold_event_stream
from tests.support.serving import serving
from tests.support.waiting import wait_for


async def _open(exits: AsyncExitStack, http: httpx.AsyncClient, caller: str) -> int:
    # Auth is off: the caller is its address.
    answer = await hold_event_stream(exits, http, {"X-Forwarded-For": caller})
    if answer.status_code != 200:
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.headers["retry-after"]
    return answer.status_code


async def test_streams_beyond_the_caps_are_429_until_one_closes(
    gateway_settings: GatewaySettings, nc: Client
) -> None:
    settings = gateway_settings.model_copy(
        update={"sse_max_streams_per_key": 2, "sse_max_streams": 3}
    )
    async with serving(create_app(settings)) as base, httpx.AsyncClient(base_url=base) as http:
        async with AsyncExitStack() as exits:
            mine = [await _open(exits, http, "203.0.113.1") for _ in range(3)]
            other = [await _open(exits, http, "203.0.113.2") for _ in range(2)]
        assert mine == [200, 200, 429]
        assert other == [200, 429]  # the gateway's third and last slot, then its cap

        async def reopened() -> bool:
            async with AsyncExitStack() as again:
                return await _open(again, http, "203.0.113.1") == 200

        await wait_for(reopened, timeout=20, interval=0.2, what="slots freed by closed streams")
