"""Live event streams (`GET /v1/stream/events`) held open by a test, to fill the gateway's caps."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from contextlib import AsyncExitStack

import httpx


async def hold_event_stream(
    exits: AsyncExitStack, http: httpx.AsyncClient, headers: Mapping[str, str]
) -> httpx.Response:
    """The answer to a stream of NASDAQ:AAPL, open until `exits` closes when it is a 200
    (once its first frame arrived), read to its end otherwise."""
    answer = await exits.enter_async_context(
        http.stream("GET", "/v1/stream/events", params={"symbols": "NASDAQ:AAPL"}, headers=headers)
    )
    if answer.status_code == 200:
        # The iterator is kept: dropped, it would be finalised and close the connection.
        frames = answer.aiter_bytes()
        assert isinstance(frames, AsyncGenerator)  # httpx's is one: it can be closed
        exits.push_async_callback(frames.aclose)
        await anext(frames)
    else:
        await answer.aread()
    return answer
