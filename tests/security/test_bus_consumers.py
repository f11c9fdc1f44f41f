"""`pq consumers`: another system reads PQ_BARS, PQ_QUOTES and pq.live.> with its own
durable consumers, on a running stack that is never restarted for it."""

from __future__ import annotations

import json
from typing import Any

import httpx
import nats
import pytest
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout

from pq_domain.subjects import STREAM_BARS, STREAM_QUOTES
from tests.support.bus_identities import bus_stack, plain_nats_url
from tests.support.pq_rest import sync_and_wait
from tests.support.stack_runner import E2eStack
from tests.support.waiting import wait_for

__all__ = ["bus_stack"]

LIVE_SYMBOL = "BINANCE:BTCUSDT"  # crypto trades 24x7, also on the simulator's Saturday


def _nats_pid(stack: E2eStack) -> int:
    record = json.loads((stack.data_dir / "stack.json").read_text())
    return int(next(p["pid"] for p in record["processes"] if p["name"] == "nats-server"))


def _add(stack: E2eStack, name: str) -> dict[str, Any]:
    done = stack.pq("consumers", "add", name, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    grant: dict[str, Any] = json.loads(done.stdout)
    return grant


def _feed(stack: E2eStack) -> None:
    """History bars into PQ_BARS, and a live symbol for PQ_QUOTES and pq.live.>."""
    with httpx.Client(base_url=stack.gateway_url, headers=stack.auth_headers(), timeout=30) as c:
        sync_and_wait(c, "NASDAQ:AAPL", "1h", 10)
        assert c.put(f"/v1/stream/subscriptions/{LIVE_SYMBOL}").status_code in (200, 201)


async def test_a_consumer_reads_the_public_streams_with_its_own_durables(
    bus_stack: E2eStack,
) -> None:
    _feed(bus_stack)
    nats_pid = _nats_pid(bus_stack)

    grant = _add(bus_stack, "analytics")

    assert set(grant) == {"url", "user", "password", "ca"}
    assert grant["url"] == plain_nats_url(bus_stack)
    assert grant["ca"] is None
    assert _nats_pid(bus_stack) == nats_pid  # in effect at once, no restart
    nc = await nats.connect(grant["url"], user=grant["user"], password=grant["password"])
    try:
        js = nc.jetstream(timeout=10)
        live: list[str] = []

        async def on_live(msg: Msg) -> None:
            live.append(msg.subject)

        await nc.subscribe("pq.live.>", cb=on_live)
        bars = await js.pull_subscribe(
            "pq.bars.synced.>", "analytics-bars", stream=STREAM_BARS.name
        )
        synced = await bars.fetch(1, timeout=30)
        assert synced[0].headers
        assert synced[0].headers.get("Pq-Schema-Version")
        await synced[0].ack()
        quotes = await js.pull_subscribe(
            "pq.quotes.>", "analytics-quotes", stream=STREAM_QUOTES.name
        )
        assert await quotes.fetch(1, timeout=60)

        async def live_bar_seen() -> bool:
            return bool(live)

        await wait_for(live_bar_seen, timeout=90, what="a pq.live.> message")
        with pytest.raises(NatsTimeout):  # it may not delete, not even its own consumer
            await nc.jetstream(timeout=3).delete_consumer(STREAM_BARS.name, "analytics-bars")
    finally:
        await nc.close()


async def test_list_and_remove_a_consumer_revokes_it(bus_stack: E2eStack) -> None:
    grant = _add(bus_stack, "short-lived")
    listed = bus_stack.pq("consumers", "list", "--json")
    assert "short-lived" in json.loads(listed.stdout)
    nc = await nats.connect(grant["url"], user=grant["user"], password=grant["password"])
    await nc.close()

    removed = bus_stack.pq("consumers", "remove", "short-lived")

    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert "short-lived" not in json.loads(bus_stack.pq("consumers", "list", "--json").stdout)
    with pytest.raises(nats.errors.Error, match="Authorization Violation"):
        await nats.connect(
            grant["url"],
            user=grant["user"],
            password=grant["password"],
            allow_reconnect=False,
            max_reconnect_attempts=0,
        )


def test_a_bad_consumer_name_is_refused_clearly(bus_stack: E2eStack) -> None:
    done = bus_stack.pq("consumers", "add", "gateway")
    assert done.returncode == 2
    assert "own identities" in done.stdout
    done = bus_stack.pq("consumers", "add", "no.dots")
    assert done.returncode == 2
    assert "a-z 0-9" in done.stdout
