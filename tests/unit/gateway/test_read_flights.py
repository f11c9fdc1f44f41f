"""Shared fetches of identical reads: a read is never answered by a fetch that began
before it arrived; the reads that queue behind one fetch share the next."""

from __future__ import annotations

import asyncio

import pytest

from pq_gateway.adapters.read_flights import ReadFlights


class Upstream:
    """Each fetch waits to be let through, then answers with its own number."""

    def __init__(self) -> None:
        self.started = 0
        self.gates: list[asyncio.Event] = []
        self.fail_next = False
        self._changed = asyncio.Condition()

    async def fetch(self) -> int:
        self.started += 1
        number = self.started
        async with self._changed:
            self._changed.notify_all()
        gate = asyncio.Event()
        self.gates.append(gate)
        await gate.wait()
        if self.fail_next:
            self.fail_next = False
            raise ConnectionError(f"fetch {number} failed")
        return number

    async def started_count(self, count: int) -> None:
        async with asyncio.timeout(5), self._changed:
            await self._changed.wait_for(lambda: self.started >= count)


async def fetch_and_queue(
    flights: ReadFlights[int], upstream: Upstream, queued: int
) -> tuple[asyncio.Task[int], list[asyncio.Task[int]]]:
    """One read that starts a fetch of "k", then `queued` reads that come during it."""
    first = asyncio.create_task(flights.share("k", upstream.fetch))
    await upstream.started_count(1)
    later = [asyncio.create_task(flights.share("k", upstream.fetch)) for _ in range(queued)]
    await asyncio.sleep(0)
    return first, later


async def test_reads_that_come_during_a_fetch_share_the_next_one() -> None:
    flights: ReadFlights[int] = ReadFlights()
    upstream = Upstream()
    first = asyncio.create_task(flights.share("/v1/bars?a", upstream.fetch))
    await upstream.started_count(1)
    later = [asyncio.create_task(flights.share("/v1/bars?a", upstream.fetch)) for _ in range(10)]
    other = asyncio.create_task(flights.share("/v1/bars?b", upstream.fetch))
    await upstream.started_count(2)  # another URL has a fetch of its own at once
    await asyncio.sleep(0.01)
    assert upstream.started == 2  # the ten wait: the fetch in flight began before them

    upstream.gates[0].set()
    assert await first == 1
    await upstream.started_count(3)  # the next fetch begins as the first lands
    upstream.gates[1].set()
    upstream.gates[2].set()
    assert await other == 2
    assert await asyncio.gather(*later) == [3] * 10
    assert upstream.started == 3

    # Nothing in flight any more: the next read fetches again.
    again = asyncio.create_task(flights.share("/v1/bars?a", upstream.fetch))
    await upstream.started_count(4)
    upstream.gates[3].set()
    assert await again == 4


async def test_a_failed_fetch_fails_its_reads_only_and_the_next_one_still_runs() -> None:
    flights: ReadFlights[int] = ReadFlights()
    upstream = Upstream()
    upstream.fail_next = True
    first, (queued,) = await fetch_and_queue(flights, upstream, 1)
    upstream.gates[0].set()
    with pytest.raises(ConnectionError, match="fetch 1 failed"):
        await first
    await upstream.started_count(2)
    upstream.gates[1].set()
    assert await queued == 2


async def test_a_reader_that_goes_away_leaves_the_fetch_to_the_others() -> None:
    flights: ReadFlights[int] = ReadFlights()
    upstream = Upstream()
    first, queued = await fetch_and_queue(flights, upstream, 2)
    first.cancel()  # the reader whose read started the fetch disconnects
    queued[0].cancel()
    upstream.gates[0].set()
    await upstream.started_count(2)
    upstream.gates[1].set()
    assert await queued[1] == 2
    with pytest.raises(asyncio.CancelledError):
        await first
    await flights.aclose()
