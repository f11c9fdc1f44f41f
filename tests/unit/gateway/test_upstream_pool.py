"""Reads spread over query replicas, and a dead one is passed over at once."""

from __future__ import annotations

import httpx
import pytest

from pq_gateway.adapters.upstream import HttpxUpstream, UpstreamUnreachable
from pq_gateway.adapters.upstream_pool import FailoverUpstream


def replica(name: str, seen: list[str], *, dead: bool = False) -> HttpxUpstream:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(name)
        if dead:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, stream=httpx.ByteStream(name.encode()))

    transport = httpx.MockTransport(answer)
    return HttpxUpstream(httpx.AsyncClient(transport=transport, base_url=f"http://{name}"))


async def test_reads_go_round_robin() -> None:
    seen: list[str] = []
    pool = FailoverUpstream([replica("a", seen), replica("b", seen)])
    bodies = [(await pool.get("/v1/bars", {})).body for _ in range(4)]
    assert bodies == [b"a", b"b", b"a", b"b"]
    await pool.aclose()


async def test_a_dead_replica_is_skipped_and_then_tried_last() -> None:
    seen: list[str] = []
    now = [0.0]
    pool = FailoverUpstream(
        [replica("a", seen, dead=True), replica("b", seen)], cooldown_s=2.0, clock=lambda: now[0]
    )
    assert (await pool.get("/x", {})).body == b"b"  # a refused, b answered the same request
    seen.clear()
    for _ in range(3):
        assert (await pool.get("/x", {})).body == b"b"
    assert seen == ["b", "b", "b"]  # inside the cooldown a is not asked first
    now[0] = 5.0
    seen.clear()
    await pool.get("/x", {})
    await pool.get("/x", {})
    assert "a" in seen  # after it, a gets a chance again
    await pool.aclose()


async def test_all_dead_is_unreachable() -> None:
    seen: list[str] = []
    pool = FailoverUpstream([replica("a", seen, dead=True), replica("b", seen, dead=True)])
    with pytest.raises(UpstreamUnreachable):
        await pool.get("/x", {})
    assert sorted(seen) == ["a", "b"]
    await pool.aclose()


async def test_an_export_stream_starts_on_a_live_replica() -> None:
    seen: list[str] = []
    pool = FailoverUpstream([replica("a", seen, dead=True), replica("b", seen)])
    answer = await pool.stream("/v1/bars", {})
    body = b"".join([chunk async for chunk in answer.chunks])
    await answer.close()
    assert (answer.status, body, seen) == (200, b"b", ["a", "b"])
    await pool.aclose()
