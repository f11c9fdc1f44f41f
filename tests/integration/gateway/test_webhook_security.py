"""Webhooks against the attacks of issue 14: deliveries connect to the address that was
checked (no second DNS lookup to rebind), and the shown-once secret is never replayed
under an Idempotency-Key nor written to Redis."""

from __future__ import annotations

import base64
import json

import httpx
import pytest
from nats.aio.client import Client
from redis.asyncio import Redis

from pq_domain import Bar, Interval, Symbol
from pq_domain.events import BarCompleted
from pq_domain.subjects import bars_completed_subject
from pq_gateway.main import create_app
from pq_gateway.settings import GatewaySettings
from pq_gateway.webhooks import url_guard
from pq_runtime.envelope import Envelope
from tests.integration.gateway.webhook_receiver import WebhookReceiver, receiving
from tests.support.serving import serving
from tests.support.waiting import wait_for

REBINDING_HOST = "rebinding.invalid"  # `.invalid` never resolves (RFC 6761)


async def test_a_delivery_connects_to_the_checked_address_never_resolving_again(
    gateway_settings: GatewaySettings, nc: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    real_resolve = url_guard.resolve

    async def checked_resolve(host: str, port: int) -> list[str]:
        checked.append(host)
        return ["127.0.0.1"] if host == REBINDING_HOST else await real_resolve(host, port)

    # The guard's lookup answers; any other lookup of the name (the HTTP client's) fails.
    monkeypatch.setattr(url_guard, "resolve", checked_resolve)
    settings = gateway_settings.model_copy(
        update={"webhooks_enabled": True, "webhooks_allow_private": True}
    )
    receiver = WebhookReceiver()
    app = create_app(settings)
    async with (
        receiving(receiver) as receiver_url,
        serving(app) as base,
        httpx.AsyncClient(base_url=base) as http,
    ):
        port = httpx.URL(receiver_url).port
        await wait_for(
            lambda: _true(app.state.webhook_worker.ready.is_set()), timeout=15, what="worker"
        )
        hook_url = f"http://{REBINDING_HOST}:{port}/hook"
        created = await http.post(
            "/v1/webhooks", json={"url": hook_url, "event_types": ["bar.completed"]}
        )
        assert created.status_code == 201, created.text
        symbol = Symbol.parse("NASDAQ:AAPL")
        event = BarCompleted(symbol, Interval.M1, Bar(60_000, 1.0, 2.0, 0.5, 1.5, 10.0), ticks=3)
        envelope = Envelope.of(event, bars_completed_subject(symbol, Interval.M1))
        await nc.jetstream().publish(envelope.subject, envelope.payload, headers=envelope.headers())
        await wait_for(lambda: _true(receiver.received), timeout=30, what="the delivery")
    [delivery] = receiver.received[:1]
    assert delivery.headers["Host"] == f"{REBINDING_HOST}:{port}"
    assert checked.count(REBINDING_HOST) >= 2  # at registration and before the delivery


async def _true(value: object) -> bool:
    return bool(value)


async def test_a_replayed_registration_carries_no_secret_and_redis_holds_none(
    gateway_settings: GatewaySettings, nc: Client, redis_url: str
) -> None:
    body = {"url": "https://93.184.216.34/hook", "event_types": ["bar.completed"]}
    headers = {"Idempotency-Key": "webhook-secret-replay"}
    async with (
        serving(create_app(gateway_settings)) as base,
        httpx.AsyncClient(base_url=base) as http,
    ):
        first = await http.post("/v1/webhooks", json=body, headers=headers)
        replay = await http.post("/v1/webhooks", json=body, headers=headers)
    assert first.status_code == 201, first.text
    secret = first.json()["secret"]
    assert replay.status_code == 201
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json()["id"] == first.json()["id"]
    assert "secret" not in replay.json()
    redis = Redis.from_url(redis_url)
    try:
        records = [await redis.get(key) async for key in redis.scan_iter("pq:idem:*")]
    finally:
        await redis.aclose()
    kept = [json.loads(r) for r in records if r]
    assert any(k.get("state") == "done" for k in kept), "the registration is kept for replays"
    bodies = [base64.b64decode(k["body"]) for k in kept if "body" in k]
    for text in [*records, *bodies]:
        assert secret.encode() not in (text or b"")
