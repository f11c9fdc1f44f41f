from __future__ import annotations

import asyncio

from pq_ingest_history.handlers.keep_alive import keeping_alive


async def test_pings_while_the_block_runs_and_stops_after() -> None:
    pings = 0
    three = asyncio.Event()

    async def ping() -> None:
        nonlocal pings
        pings += 1
        if pings == 3:
            three.set()

    async with keeping_alive(ping, 0.01):
        await asyncio.wait_for(three.wait(), timeout=5)
    after = pings
    await asyncio.sleep(0.03)
    assert pings == after


async def test_a_failing_ping_does_not_end_the_block() -> None:
    async def ping() -> None:
        raise ConnectionError("gone")

    async with keeping_alive(ping, 0.001):
        await asyncio.sleep(0.01)
