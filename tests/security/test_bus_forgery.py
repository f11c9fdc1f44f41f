"""Attack: forge events and API keys on NATS with an identity that has no right to.

Each refusal is checked twice: the server reports a permission violation, and the admin
identity finds nothing written. A positive control shows the same write succeeds for the
identity whose role it is, so a refusal is the permissions' doing, not a broken test.
"""

from __future__ import annotations

import json

import pytest
from nats.errors import TimeoutError as NatsTimeout
from nats.js.errors import NotFoundError

from pq_domain.subjects import STREAM_BARS
from tests.support.bus_identities import Session, bus_stack, connected, connected_as, plain_nats_url
from tests.support.stack_runner import E2eStack

__all__ = ["bus_stack"]

FORGED_SUBJECT = "pq.bars.completed.FORGED.BAR.1m"
FORGED_BAR = {"symbol": "FORGED:BAR", "interval": "1m", "t": 0, "o": 1, "h": 999999, "l": 1,
              "c": 1, "v": 1, "ticks": 1, "revision": 0}  # fmt: skip
API_KEYS_SUBJECT = "$KV.PQ_API_KEYS.forged-admin"
FORGED_KEY = {"key_id": "forged-admin", "scopes": ["admin"], "active": True}


async def _try_publish(session: Session, subject: str, payload: dict[str, object]) -> None:
    # No ack comes: the server dropped it. The proof is its violation error (`refused`).
    js = session.client.jetstream(timeout=1.0)
    with pytest.raises(NatsTimeout):
        await js.publish(subject, json.dumps(payload).encode())


async def _stored(stack: E2eStack, stream: str, subject: str) -> bool:
    async with connected_as(stack, "admin") as admin:
        try:
            await admin.client.jetstream().get_last_msg(stream, subject)
        except NotFoundError:
            return False
        return True


@pytest.mark.parametrize("identity", ["ingest-stream", "query", "gateway"])
async def test_another_service_cannot_forge_a_bar_completed(
    bus_stack: E2eStack, identity: str
) -> None:
    async with connected_as(bus_stack, identity) as attacker:
        await _try_publish(attacker, FORGED_SUBJECT, FORGED_BAR)
        assert await attacker.refused(FORGED_SUBJECT)
    assert not await _stored(bus_stack, STREAM_BARS.name, FORGED_SUBJECT)


async def test_a_consumer_cannot_forge_a_bar_completed(bus_stack: E2eStack) -> None:
    grant = json.loads(bus_stack.pq("consumers", "add", "forger", "--json").stdout)
    async with connected(plain_nats_url(bus_stack), grant["user"], grant["password"]) as attacker:
        await _try_publish(attacker, FORGED_SUBJECT, FORGED_BAR)
        assert await attacker.refused(FORGED_SUBJECT)
    assert not await _stored(bus_stack, STREAM_BARS.name, FORGED_SUBJECT)


async def test_only_the_bar_builder_may_publish_completed_bars(bus_stack: E2eStack) -> None:
    """The positive control: the same publish, as the role that owns it, is stored."""
    subject = "pq.bars.completed.CONTROL.BAR.1m"
    async with connected_as(bus_stack, "bar-builder") as owner:
        await owner.client.jetstream(timeout=10).publish(subject, json.dumps(FORGED_BAR).encode())
    assert await _stored(bus_stack, STREAM_BARS.name, subject)


@pytest.mark.parametrize("identity", ["query", "ingest-stream", "bar-builder", "ingest-history"])
async def test_only_the_gateway_may_write_an_api_key(bus_stack: E2eStack, identity: str) -> None:
    async with connected_as(bus_stack, identity) as attacker:
        await _try_publish(attacker, API_KEYS_SUBJECT, FORGED_KEY)
        assert await attacker.refused(API_KEYS_SUBJECT)
    assert not await _stored(bus_stack, "KV_PQ_API_KEYS", API_KEYS_SUBJECT)


async def test_a_consumer_cannot_write_an_api_key(bus_stack: E2eStack) -> None:
    grant = json.loads(bus_stack.pq("consumers", "add", "key-forger", "--json").stdout)
    async with connected(plain_nats_url(bus_stack), grant["user"], grant["password"]) as attacker:
        await _try_publish(attacker, API_KEYS_SUBJECT, FORGED_KEY)
        assert await attacker.refused(API_KEYS_SUBJECT)
    assert not await _stored(bus_stack, "KV_PQ_API_KEYS", API_KEYS_SUBJECT)
