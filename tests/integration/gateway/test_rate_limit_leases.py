"""Leased rate limits (ratelimit/leases.py) against the real Redis: a busy key costs few
round trips, and two replicas leasing from one budget never serve more than Redis counted."""

from __future__ import annotations

import asyncio
import itertools
import math
import secrets
import time

import httpx
import pytest
from nats.aio.client import Client
from redis.asyncio import Redis

from pq_gateway.auth.keys import Scope
from pq_gateway.main import create_app
from pq_gateway.ratelimit.gcra import GcraLimiter
from pq_gateway.ratelimit.leases import LeasedLimiter
from pq_gateway.ratelimit.policy import RateSpec
from pq_gateway.settings import GatewaySettings
from pq_launcher.servers import NatsServer
from tests.integration.gateway.keys import bearer, new_api_key
from tests.support.serving import serving


async def _scripts_run(redis: Redis) -> int:
    stats = await redis.info("commandstats")
    return sum(int(stats.get(f"cmdstat_{cmd}", {}).get("calls", 0)) for cmd in ("evalsha", "eval"))


@pytest.mark.parametrize(
    ("policy", "cap"),
    [
        (RateSpec(1200, 60), 20),  # the default reads policy: what it regenerates in 1 s
        (RateSpec(60, 60), 1),  # writes: counted one by one
        (RateSpec(10, 60), 1),
        (RateSpec(100_000_000, 60), 64),  # PQ_RATE_LIMIT_LEASE_MAX
    ],
)
def test_a_lease_is_at_most_what_the_policy_regenerates_in_a_second(
    policy: RateSpec, cap: int
) -> None:
    unused: GcraLimiter = None  # type: ignore[assignment]
    assert LeasedLimiter(unused, max_lease=64).cap(policy) == cap


async def test_a_busy_key_costs_few_round_trips_and_sees_its_budget_fall_by_one(
    redis_url: str,
) -> None:
    policy = RateSpec(600_000, 3600)  # one cell every 6 ms
    async with Redis.from_url(redis_url) as redis:
        limiter = LeasedLimiter(GcraLimiter(redis), max_lease=64)
        identity = f"key:{secrets.token_hex(8)}"
        before = await _scripts_run(redis)
        started = time.monotonic()
        decisions = [await limiter.check(identity, "reads", policy) for _ in range(200)]
        elapsed_ms = (time.monotonic() - started) * 1000
        round_trips = await _scripts_run(redis) - before
    assert all(d.allowed for d in decisions)
    assert decisions[0].remaining == policy.count - 1  # the first answer is Redis's own
    # Leases of 1, 2, 4, ... 64 cells: a handful of round trips for 200 requests.
    assert round_trips <= 10, round_trips
    # Each request spends one cell; only time (one cell per 6 ms) gives any back.
    regained = math.ceil(elapsed_ms / policy.emission_interval_ms) + 1
    for earlier, later in itertools.pairwise(decisions):
        assert earlier.remaining - 1 <= later.remaining <= earlier.remaining - 1 + regained


async def test_requests_of_a_key_that_come_together_share_its_lease(redis_url: str) -> None:
    policy = RateSpec(600_000, 3600)
    async with Redis.from_url(redis_url) as redis:
        limiter = LeasedLimiter(GcraLimiter(redis), max_lease=64)
        identity = f"key:{secrets.token_hex(8)}"

        async def client() -> list[bool]:
            return [(await limiter.check(identity, "reads", policy)).allowed for _ in range(20)]

        before = await _scripts_run(redis)
        runs = await asyncio.gather(*(client() for _ in range(32)))
        round_trips = await _scripts_run(redis) - before
    assert all(all(run) for run in runs)
    # 640 requests, 32 at a time: they wait for the lease in flight instead of asking alone.
    assert round_trips <= 40, round_trips


async def test_two_replicas_leasing_one_budget_serve_no_more_than_it(
    gateway_settings: GatewaySettings, own_nats_server: NatsServer, nc: Client
) -> None:
    policy = RateSpec(300, 60)  # one cell every 200 ms; leases of up to 5 cells
    settings = gateway_settings.model_copy(
        update={"auth_disabled": False, "rate_limits_enabled": True, "rate_limit_reads": policy}
    )
    key = await new_api_key(own_nats_server.url, Scope.READ)
    async with (
        serving(create_app(settings)) as first,
        serving(create_app(settings)) as second,
        httpx.AsyncClient(headers=bearer(key), timeout=30) as http,
    ):
        started = time.monotonic()

        async def client(base: str) -> list[httpx.Response]:
            return [await http.get(f"{base}/v1/stream/subscriptions") for _ in range(40)]

        runs = await asyncio.gather(*(client(base) for base in (first, second) * 5))
        elapsed_ms = (time.monotonic() - started) * 1000
    answers = [answer for run in runs for answer in run]
    assert {a.status_code for a in answers} == {200, 429}
    served = sum(a.status_code == 200 for a in answers)
    # Redis counted every request served, so the budget plus what time regenerated bounds
    # them; leased cells left unserved at the end (at most 5 per replica) are the slack.
    regenerated = math.ceil(elapsed_ms / policy.emission_interval_ms) + 1
    assert policy.count - 2 * 5 <= served <= policy.count + regenerated, (served, elapsed_ms)
    for answer in answers:
        assert answer.headers["ratelimit-policy"] == '"reads";q=300;w=60'
        if answer.status_code == 429:
            assert answer.headers["ratelimit"].startswith('"reads";r=0;')
            assert int(answer.headers["retry-after"]) >= 1
