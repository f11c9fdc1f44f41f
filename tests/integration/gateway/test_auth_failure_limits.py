"""Failed authentications are limited per client address (GCRA in the real Redis, shared
by two replicas); valid keys never spend that budget and are never refused by it, and
other addresses keep theirs.

Addresses come from `X-Forwarded-For`, which uvicorn trusts from 127.0.0.1 (its default
`forwarded_allow_ips`), so each test uses addresses of its own in the shared Redis.
"""

from __future__ import annotations

import math
import secrets

import httpx
from nats.aio.client import Client

from pq_gateway.auth.keys import Scope
from pq_gateway.main import create_app
from pq_gateway.ratelimit.policy import RateSpec
from pq_gateway.settings import GatewaySettings
from pq_launcher.servers import NatsServer
from tests.integration.gateway.keys import new_api_key
from tests.support.serving import serving

N = 3
WINDOW_S = 60  # one failure's share is 20 s: nothing refills while the test runs
PATH = "/v1/stream/subscriptions"


def _settings(base: GatewaySettings) -> GatewaySettings:
    return base.model_copy(
        update={
            "auth_disabled": False,
            "rate_limits_enabled": True,
            "rate_limit_auth_failures": RateSpec(N, WINDOW_S),
        }
    )


def _from(address: str, key: str) -> dict[str, str]:
    return {"X-Forwarded-For": address, "Authorization": f"Bearer {key}"}


def _wrong_key() -> str:
    return f"pq_{secrets.token_hex(8)}_{secrets.token_urlsafe(32)}"


async def test_failures_past_the_budget_are_429_but_valid_keys_still_pass(
    gateway_settings: GatewaySettings, own_nats_server: NatsServer, nc: Client
) -> None:
    valid = await new_api_key(own_nats_server.url, Scope.READ)
    attacker, neighbour = "203.0.113.10", "203.0.113.11"
    async with (
        serving(create_app(_settings(gateway_settings))) as first,
        serving(create_app(_settings(gateway_settings))) as second,
        httpx.AsyncClient() as http,
    ):
        # Valid keys spend nothing, however many: before them, between them, after them.
        for _ in range(2 * N):
            assert (await http.get(f"{first}{PATH}", headers=_from(attacker, valid))).is_success
        tries = [
            await http.get(f"{base}{PATH}", headers=_from(attacker, key))
            for base, key in [(first, _wrong_key()), (second, "garbage"), (first, _wrong_key())]
        ]
        assert (await http.get(f"{second}{PATH}", headers=_from(attacker, valid))).is_success
        refused = await http.get(f"{second}{PATH}", headers=_from(attacker, _wrong_key()))
        # Locked out: wrong keys get 429, a valid key from the same address still passes
        # (one guesser behind a shared Ingress address must not lock everyone out).
        guessed_right = await http.get(f"{second}{PATH}", headers=_from(attacker, valid))
        neighbour_wrong = await http.get(f"{first}{PATH}", headers=_from(neighbour, "garbage"))
        neighbour_valid = await http.get(f"{first}{PATH}", headers=_from(neighbour, valid))
        metrics = (await http.get(f"{second}/metrics")).text

    assert [t.status_code for t in tries] == [401] * N
    assert [t.headers["ratelimit"].split(";")[1] for t in tries] == ["r=2", "r=1", "r=0"]
    assert tries[0].headers["ratelimit-policy"] == f'"auth_failures";q={N};w={WINDOW_S}'
    assert refused.status_code == 429, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"] == "urn:pq:problem:rate-limited"
    assert "failed authentications" in refused.json()["detail"]
    assert 1 <= int(refused.headers["retry-after"]) <= math.ceil(WINDOW_S / N)
    assert refused.headers["x-correlation-id"]
    assert guessed_right.status_code == 200, guessed_right.text
    assert neighbour_wrong.status_code == 401
    assert neighbour_valid.status_code == 200
    assert 'pq_gateway_rate_limited_total{route_class="auth_failures"} 1.0' in metrics


async def test_a_request_without_a_key_spends_nothing(
    gateway_settings: GatewaySettings, nc: Client
) -> None:
    address = "203.0.113.20"
    async with (
        serving(create_app(_settings(gateway_settings))) as base,
        httpx.AsyncClient() as http,
    ):
        keyless = [
            await http.get(f"{base}{PATH}", headers={"X-Forwarded-For": address})
            for _ in range(2 * N)
        ]
        wrong = [
            await http.get(f"{base}{PATH}", headers=_from(address, "garbage")) for _ in range(N)
        ]
    assert [a.status_code for a in keyless] == [401] * (2 * N)
    assert [a.status_code for a in wrong] == [401] * N


async def test_redis_down_in_development_leaves_failures_uncounted_not_failing(
    gateway_settings: GatewaySettings, nc: Client
) -> None:
    settings = _settings(gateway_settings).model_copy(
        update={"redis_url": "redis://127.0.0.1:1/0", "rate_limit_fail_closed": True}
    )
    async with serving(create_app(settings)) as base, httpx.AsyncClient() as http:
        answers = [
            await http.get(f"{base}{PATH}", headers=_from("203.0.113.30", _wrong_key()))
            for _ in range(N + 1)
        ]
    assert [a.status_code for a in answers] == [401] * (N + 1)


async def test_redis_down_failing_closed_still_counts_failures_in_process(
    gateway_settings: GatewaySettings, own_nats_server: NatsServer, nc: Client
) -> None:
    """PQ_AUTH_FAILURES_FAIL_CLOSED (the production default): no Redis, no free guesses."""
    valid = await new_api_key(own_nats_server.url, Scope.READ)
    settings = _settings(gateway_settings).model_copy(
        update={"redis_url": "redis://127.0.0.1:1/0", "auth_failures_fail_closed": True}
    )
    address = "203.0.113.31"
    async with serving(create_app(settings)) as base, httpx.AsyncClient() as http:
        answers = [
            await http.get(f"{base}{PATH}", headers=_from(address, _wrong_key()))
            for _ in range(N + 1)
        ]
        still_valid = await http.get(f"{base}{PATH}", headers=_from(address, valid))
    assert [a.status_code for a in answers] == [401] * N + [429]
    assert still_valid.status_code != 429
