"""Attack: read webhook secrets and API-key hashes from their KV buckets (only the gateway
may), or steal another consumer's messages."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable

import httpx
import pytest
from nats.errors import TimeoutError as NatsTimeout

from tests.support.bus_identities import Session, bus_stack, connected, connected_as, plain_nats_url
from tests.support.stack_runner import E2eStack

__all__ = ["bus_stack"]

BUCKETS = ("PQ_WEBHOOKS", "PQ_API_KEYS")
# An unnamed-consumer create whose body names our durable: nats-server updates that durable.
HIJACK: dict[str, object] = {
    "stream_name": "PQ_BARS",
    "config": {"name": "query-bars", "filter_subject": "pq.bars.nothing", "ack_policy": "explicit"},
}
SECRET_KEY = "probe-webhook"
# A refused call gets no answer: it ends by this timeout. The proof of the refusal is the
# server's permissions violation naming the subject (Session.refused), not the timeout.
UNANSWERED_S = 1.0


async def _plant_secret(stack: E2eStack) -> None:
    # The gateway creates its webhook bucket on first use: list the webhooks once.
    async with httpx.AsyncClient(base_url=stack.gateway_url, headers=stack.auth_headers()) as c:
        assert (await c.get("/v1/webhooks", timeout=30)).status_code == 200
    async with connected_as(stack, "gateway") as gateway:  # the owner writes and reads it
        kv = await gateway.client.jetstream(timeout=10).key_value("PQ_WEBHOOKS")
        await kv.put(SECRET_KEY, json.dumps({"secret": "whsec_probe"}).encode())
        assert (await kv.get(SECRET_KEY)).value


async def _unanswered(call: Awaitable[object]) -> None:
    with pytest.raises(NatsTimeout):
        await call


async def _try_read(session: Session, bucket: str) -> list[str]:
    """Every way in: direct get, a consumer on the bucket's stream, a core subscription.
    The calls go out together: each waits its whole timeout for the answer never sent."""
    js = session.client.jetstream(timeout=UNANSWERED_S)
    direct = f"$JS.API.DIRECT.GET.KV_{bucket}.$KV.{bucket}.{SECRET_KEY}"
    await asyncio.gather(
        _unanswered(session.client.request(direct, b"", timeout=UNANSWERED_S)),
        _unanswered(js.key_value(bucket)),
        _unanswered(js.add_consumer(f"KV_{bucket}", deliver_subject=session.client.new_inbox())),
    )
    await session.client.subscribe(f"$KV.{bucket}.>")
    return [
        direct,
        f"$JS.API.STREAM.INFO.KV_{bucket}",
        f"$JS.API.CONSUMER.CREATE.KV_{bucket}",
        f"$KV.{bucket}.>",
    ]


async def _assert_refused(session: Session, bucket: str) -> None:
    for subject in await _try_read(session, bucket):
        assert await session.refused(subject), (subject, session.errors)


@pytest.mark.parametrize("bucket", BUCKETS)
@pytest.mark.parametrize("identity", ["query", "ingest-stream", "bar-builder", "ingest-history"])
async def test_no_other_service_reads_the_gateway_buckets(
    bus_stack: E2eStack, identity: str, bucket: str
) -> None:
    await _plant_secret(bus_stack)
    async with connected_as(bus_stack, identity) as attacker:
        await _assert_refused(attacker, bucket)


@pytest.mark.parametrize("bucket", BUCKETS)
async def test_a_consumer_reads_no_bucket(bus_stack: E2eStack, bucket: str) -> None:
    await _plant_secret(bus_stack)
    grant = json.loads(bus_stack.pq("consumers", "add", "snoop", "--json").stdout)
    async with connected(plain_nats_url(bus_stack), grant["user"], grant["password"]) as attacker:
        await _assert_refused(attacker, bucket)


async def test_a_consumer_cannot_take_or_reconfigure_our_durables(bus_stack: E2eStack) -> None:
    grant = json.loads(bus_stack.pq("consumers", "add", "thief", "--json").stdout)
    async with connected(plain_nats_url(bus_stack), grant["user"], grant["password"]) as attacker:
        calls: tuple[tuple[str, dict[str, object]], ...] = (
            ("$JS.API.CONSUMER.MSG.NEXT.PQ_BARS.query-bars", {}),
            ("$JS.API.CONSUMER.CREATE.PQ_BARS", HIJACK),  # the server would update query-bars
            ("$JS.API.CONSUMER.DELETE.PQ_BARS.query-bars", {}),
            ("$JS.API.STREAM.DELETE.PQ_BARS", {}),
            ("$JS.API.STREAM.PURGE.PQ_QUOTES", {}),
        )
        await asyncio.gather(
            *(
                _unanswered(
                    attacker.client.request(subject, json.dumps(body).encode(), UNANSWERED_S)
                )
                for subject, body in calls
            )
        )
        for subject, _ in calls:
            assert await attacker.refused(subject), (subject, attacker.errors)
