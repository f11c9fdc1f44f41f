"""Webhooks end to end: registration, fan-out, signed deliveries, retries, auto-disable."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
import pytest
from nats.aio.client import Client
from standardwebhooks.webhooks import Webhook as Verifier

from pq_domain import Bar, Interval, Symbol
from pq_domain.events import BarCompleted
from pq_domain.subjects import bars_completed_subject
from pq_gateway.main import create_app
from pq_gateway.settings import GatewaySettings
from pq_runtime.envelope import Envelope
from tests.integration.gateway.webhook_receiver import WebhookReceiver, receiving
from tests.support.serving import serving
from tests.support.waiting import wait_for

AAPL = Symbol.parse("NASDAQ:AAPL")
Gateway = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def webhook_gateway(gateway_settings: GatewaySettings, nc: Client) -> Gateway:
    """Serve a gateway with the webhook worker on; yield a client once the worker is ready."""

    @asynccontextmanager
    async def run(**overrides: object) -> AsyncIterator[httpx.AsyncClient]:
        settings = gateway_settings.model_copy(
            update={"webhooks_enabled": True, "webhooks_backoff_s": (0.2,), **overrides}
        )
        app = create_app(settings)
        async with serving(app) as url, httpx.AsyncClient(base_url=url) as http:

            async def ready() -> bool:
                is_ready: bool = app.state.webhook_worker.ready.is_set()
                return is_ready

            if settings.webhooks_enabled:
                await wait_for(ready, timeout=15, what="the webhook worker")
            yield http

    return run


async def _publish_bar(nc: Client, symbol: Symbol, t: int) -> None:
    event = BarCompleted(symbol, Interval.M1, Bar(t, 1.0, 2.0, 0.5, 1.5, 10.0), ticks=3)
    envelope = Envelope.of(event, bars_completed_subject(symbol, Interval.M1))
    await nc.jetstream().publish(envelope.subject, envelope.payload, headers=envelope.headers())


async def test_signed_deliveries_are_retried_until_they_succeed(
    webhook_gateway: Gateway, nc: Client
) -> None:
    receiver = WebhookReceiver(failures=2)
    async with (
        receiving(receiver) as hook_url,
        webhook_gateway(webhooks_allow_private=True) as http,
    ):
        created = await http.post(
            "/v1/webhooks",
            json={"url": hook_url, "event_types": ["bar.completed"], "symbols": ["NASDAQ:AAPL"]},
        )
        assert created.status_code == 201, created.text
        secret = created.json()["secret"]
        assert secret.startswith("whsec_")
        await _publish_bar(nc, Symbol.parse("NYSE:IBM"), 60_000)  # filtered out
        await _publish_bar(nc, AAPL, 120_000)

        async def delivered() -> bool:
            return any(r.answered == 204 for r in receiver.received)

        await wait_for(delivered, timeout=20, what="a successful delivery")
        listed = (await http.get("/v1/webhooks")).json()["webhooks"]

    assert [r.answered for r in receiver.received] == [500, 500, 204]
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1  # one message, retried
    final = receiver.received[-1]
    payload = Verifier(secret).verify(final.body, final.headers)
    assert payload["type"] == "bar.completed"
    assert payload["data"]["symbol"] == "NASDAQ:AAPL"
    assert payload["data"]["t"] == 120_000
    assert "secret" not in listed[0]
    assert listed[0]["consecutive_failures"] == 0


async def test_a_failing_endpoint_is_disabled(webhook_gateway: Gateway, nc: Client) -> None:
    receiver = WebhookReceiver(failures=1000)
    async with (
        receiving(receiver) as hook_url,
        webhook_gateway(webhooks_allow_private=True, webhooks_disable_after=3) as http,
    ):
        created = await http.post(
            "/v1/webhooks", json={"url": hook_url, "event_types": ["bar.completed"]}
        )
        webhook_id = created.json()["id"]
        await _publish_bar(nc, AAPL, 180_000)

        async def disabled() -> bool:
            state = (await http.get(f"/v1/webhooks/{webhook_id}")).json()
            return not state["enabled"]

        await wait_for(disabled, timeout=20, what="the webhook to be disabled")
        state = (await http.get(f"/v1/webhooks/{webhook_id}")).json()
        assert (await http.delete(f"/v1/webhooks/{webhook_id}")).status_code == 204
        assert (await http.get(f"/v1/webhooks/{webhook_id}")).status_code == 404
    assert len(receiver.received) == 3
    assert "disabled after 3 consecutive failed deliveries" in state["disabled_reason"]


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/hook", "https://127.0.0.1/hook", "https://localhost/x"]
)
async def test_private_addresses_are_refused(
    webhook_gateway: Gateway, nc: Client, url: str
) -> None:
    async with webhook_gateway(webhooks_enabled=False) as http:
        answer = await http.post("/v1/webhooks", json={"url": url, "event_types": ["sync.job"]})
    assert answer.status_code == 422, answer.text
    assert json.loads(answer.text)["errors"][0]["field"] == "body.url"
