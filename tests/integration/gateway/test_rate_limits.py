"""GCRA limits shared by two gateway replicas through one Redis."""

from __future__ import annotations

import math

import httpx
from nats.aio.client import Client

from pq_gateway.auth.keys import Scope
from pq_gateway.main import create_app
from pq_gateway.ratelimit.policy import RateSpec
from pq_gateway.settings import GatewaySettings
from pq_launcher.servers import NatsServer
from tests.integration.gateway.keys import bearer, new_api_key
from tests.support.serving import serving

N = 5
WINDOW_S = 60  # one request's share is 12 s: the test's own duration adds none


async def test_two_replicas_share_one_budget(
    gateway_settings: GatewaySettings, own_nats_server: NatsServer, nc: Client
) -> None:
    settings = gateway_settings.model_copy(
        update={
            "auth_disabled": False,
            "rate_limits_enabled": True,
            "rate_limit_reads": RateSpec(N, WINDOW_S),
        }
    )
    key = await new_api_key(own_nats_server.url, Scope.READ)
    async with (
        serving(create_app(settings)) as first,
        serving(create_app(settings)) as second,
        httpx.AsyncClient() as http,
    ):
        answers = [
            await http.get(f"{base}/v1/stream/subscriptions", headers=bearer(key))
            for _ in range(N * 3 // 2 + 1)
            for base in (first, second)
        ][: 3 * N]
    statuses = [a.status_code for a in answers]
    assert statuses.count(200) == N, statuses
    assert statuses == [200] * N + [429] * (2 * N)
    period_s = WINDOW_S / N
    for answer in answers[N:]:
        assert 1 <= int(answer.headers["retry-after"]) <= math.ceil(period_s)
        assert answer.json()["type"] == "urn:pq:problem:rate-limited"
        assert answer.headers["ratelimit"].startswith('"reads";r=0;')
    assert answers[0].headers["ratelimit-policy"] == f'"reads";q={N};w={WINDOW_S}'
    assert answers[0].headers["ratelimit"] == f'"reads";r={N - 1};t={math.ceil(period_s)}'


async def test_redis_down_fails_open_or_closed(
    gateway_settings: GatewaySettings, nc: Client
) -> None:
    dead_redis = "redis://127.0.0.1:1/0"
    base = gateway_settings.model_copy(
        update={"rate_limits_enabled": True, "redis_url": dead_redis}
    )
    closed = base.model_copy(update={"rate_limit_fail_closed": True})
    async with (
        serving(create_app(base)) as open_url,
        serving(create_app(closed)) as closed_url,
        httpx.AsyncClient() as http,
    ):
        assert (await http.get(f"{open_url}/v1/stream/subscriptions")).status_code == 200
        refused = await http.get(f"{closed_url}/v1/stream/subscriptions")
        metrics = (await http.get(f"{open_url}/metrics")).text
    assert refused.status_code == 503
    assert "pq_gateway_rate_limit_errors_total 1.0" in metrics
