"""The gateway under abuse: each attack of issue 14 replayed against a whole running
stack (`pq up`), as an outsider or a key holder would try it. None may get a 5xx, a
stall, a lockout of valid keys, a secret or a foothold.

One stack for the module (ATTACK_CAPS: small caps, the test as the trusted Ingress,
console logs); the last test greps its logs for every key used here.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.held_streams import hold_event_stream
from tests.support.security_gateway import (
    ATTACK_CAPS,
    READY_TIMEOUT_S,
    assert_problem,
    bearer,
    create_key,
    kv_consumer_counts,
    raw_request,
    service_logs,
)
from tests.support.stack_runner import E2eStack, start_stack
from tests.support.waiting import wait_for

pytestmark = pytest.mark.slow
ATTACKER, NEIGHBOUR = "198.51.100.7", "198.51.100.8"


@dataclass(frozen=True)
class Keys:
    admin: str
    writer_a: str
    writer_b: str
    reader: str

    def all(self) -> list[str]:
        return [self.admin, self.writer_a, self.writer_b, self.reader]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2eStack]:
    data_dir = tmp_path_factory.mktemp("security") / "pq"
    running = start_stack(data_dir, ready_timeout=READY_TIMEOUT_S, **ATTACK_CAPS)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def keys(stack: E2eStack) -> Keys:
    assert stack.api_key, "the embedded stack writes a dev admin key"
    return Keys(
        admin=stack.api_key,
        writer_a=create_key(stack, "writer a", "write"),
        writer_b=create_key(stack, "writer b", "write"),
        reader=create_key(stack, "reader", "read"),
    )


@pytest.fixture
async def http(stack: E2eStack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as client:
        yield client


def _wrong_key(n: int) -> str:
    return f"pq_{n:016x}_{'x' * 43}"


async def test_a_key_guesser_behind_the_ingress_locks_out_no_valid_key(
    http: httpx.AsyncClient, keys: Keys
) -> None:
    behind = {"X-Forwarded-For": ATTACKER}
    guesses = [
        await http.get("/v1/symbols", headers=bearer(_wrong_key(n), **behind)) for n in range(4)
    ]
    assert [g.status_code for g in guesses] == [401, 401, 401, 429]
    assert_problem(guesses[-1], 429)
    # Prepending addresses does not buy a fresh budget: the Ingress appended the real one.
    spoofed = {"X-Forwarded-For": f"203.0.113.99, {ATTACKER}"}
    assert (
        await http.get("/v1/symbols", headers=bearer(_wrong_key(9), **spoofed))
    ).status_code == 429
    # Valid keys behind the same address, and other clients behind the same Ingress, pass.
    for key in keys.all():
        assert (await http.get("/v1/symbols", headers=bearer(key, **behind))).status_code == 200
    neighbour = await http.get(
        "/v1/symbols", headers=bearer(keys.reader, **{"X-Forwarded-For": NEIGHBOUR})
    )
    assert neighbour.status_code == 200
    wrong_neighbour = await http.get(
        "/v1/symbols", headers=bearer(_wrong_key(10), **{"X-Forwarded-For": NEIGHBOUR})
    )
    assert wrong_neighbour.status_code == 401


async def test_an_oversized_traceparent_neither_fails_nor_stalls(
    http: httpx.AsyncClient, keys: Keys
) -> None:
    long = "00-" + "a" * 600
    started = time.monotonic()
    read = await http.get("/v1/symbols", headers=bearer(keys.reader, traceparent=long))
    write = await http.post(
        "/v1/sync",
        headers=bearer(keys.writer_a, traceparent=long),
        json={"symbol": "NASDAQ:AAPL", "interval": "1d", "bars": 5},
    )
    elapsed = time.monotonic() - started
    assert read.status_code == 200, read.text
    assert write.status_code == 202, write.text
    assert elapsed < 10, f"the gateway stalled {elapsed:.1f} s on a long traceparent"
    assert (await http.get("/health")).status_code == 200


@pytest.mark.parametrize("value", [b"\xb2", b"\xc2\xb2", "\u0661\u0662".encode(), b"1" * 25, b"-1"])
async def test_a_non_ascii_last_event_id_is_a_400_not_a_500(
    http: httpx.AsyncClient, keys: Keys, value: bytes
) -> None:
    answer = await http.get(
        "/v1/stream/events",
        params={"symbols": "NASDAQ:AAPL"},
        # httpx sends bytes values too; its stubs take one type for all values.
        headers={"Authorization": f"Bearer {keys.reader}", "Last-Event-ID": value},  # type: ignore[arg-type]
    )
    assert_problem(answer, 400, "header.last-event-id")


@pytest.mark.parametrize(
    "url",
    [
        "https://[64:ff9b::7f00:1]/hook",  # NAT64 loopback
        "https://[64:ff9b::a9fe:a9fe]/latest/meta-data",  # NAT64 cloud metadata
        "https://[2002:7f00:1::1]/hook",  # 6to4 loopback
        "https://[2002:a9fe:a9fe::]/hook",  # 6to4 metadata
        "https://[::127.0.0.1]/hook",  # IPv4-compatible loopback
        "https://[::a9fe:a9fe]/hook",  # IPv4-compatible metadata
        "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook",  # Teredo
        "https://[::ffff:127.0.0.1]/hook",  # IPv4-mapped loopback
        "https://93.184.216.34:6379/hook",  # a public address, an internal service's port
        "https://93.184.216.34:22/hook",
    ],
)
async def test_webhooks_refuse_inside_addresses_in_every_wrapping_and_other_ports(
    http: httpx.AsyncClient, keys: Keys, url: str
) -> None:
    answer = await http.post(
        "/v1/webhooks",
        headers=bearer(keys.admin),
        json={"url": url, "event_types": ["bar.completed"]},
    )
    assert_problem(answer, 422, "body.url")


async def test_an_idempotent_replay_never_shows_the_webhook_secret_again(
    http: httpx.AsyncClient, keys: Keys
) -> None:
    body = {"url": "https://93.184.216.34/hook", "event_types": ["bar.completed"]}
    headers = bearer(keys.admin, **{"Idempotency-Key": "security-webhook-1"})
    first = await http.post("/v1/webhooks", headers=headers, json=body)
    replay = await http.post("/v1/webhooks", headers=headers, json=body)
    assert first.status_code == 201, first.text
    assert first.json()["secret"].startswith("whsec_")
    assert replay.status_code == 201
    assert replay.headers["idempotent-replayed"] == "true"
    assert "secret" not in replay.json()
    assert first.json()["secret"] not in replay.text
    assert replay.json()["id"] == first.json()["id"]
    assert (
        await http.delete(f"/v1/webhooks/{first.json()['id']}", headers=bearer(keys.admin))
    ).status_code == 204


async def _open_stream(exits: AsyncExitStack, http: httpx.AsyncClient, key: str) -> httpx.Response:
    return await hold_event_stream(exits, http, bearer(key))


async def test_concurrent_live_streams_are_capped_per_key_and_per_gateway(
    http: httpx.AsyncClient, keys: Keys
) -> None:
    async with AsyncExitStack() as exits:
        first = [await _open_stream(exits, http, keys.reader) for _ in range(3)]
        assert [a.status_code for a in first] == [200, 200, 429]
        assert_problem(first[2], 429)
        assert "PQ_SSE_MAX_STREAMS_PER_KEY" in first[2].json()["detail"]
        others = [await _open_stream(exits, http, keys.writer_a) for _ in range(2)]
        assert [a.status_code for a in others] == [200, 200]
        over_total = await _open_stream(exits, http, keys.admin)
        assert_problem(over_total, 429)
        assert "PQ_SSE_MAX_STREAMS" in over_total.json()["detail"]

    # Closed streams give their slots back.
    async def reopened() -> bool:
        async with AsyncExitStack() as again:
            return (await _open_stream(again, http, keys.reader)).status_code == 200

    await wait_for(reopened, timeout=30, interval=0.5, what="a slot freed by closed streams")


async def test_a_sync_range_is_capped_like_a_bar_count(http: httpx.AsyncClient, keys: Keys) -> None:
    eleven_years = {
        "symbol": "BINANCE:BTCUSDT",
        "interval": "1m",
        "start": "2014-01-01T00:00:00Z",
        "end": "2025-01-01T00:00:00Z",
    }
    ranged = await http.post("/v1/sync", headers=bearer(keys.writer_a), json=eleven_years)
    assert "PQ_SYNC_MAX_BARS" in assert_problem(ranged, 422, "body.end")["detail"]
    counted = await http.post(
        "/v1/sync",
        headers=bearer(keys.writer_a),
        json={"symbol": "BINANCE:BTCUSDT", "interval": "1m", "bars": 5_259_601},
    )
    assert "PQ_SYNC_MAX_BARS" in assert_problem(counted, 422, "body.bars")["detail"]


async def test_only_the_key_that_added_a_watchlist_entry_or_an_admin_removes_it(
    http: httpx.AsyncClient, keys: Keys
) -> None:
    path = "/v1/stream/subscriptions/NASDAQ%3AMSFT"
    assert (await http.put(path, headers=bearer(keys.writer_a))).status_code in (200, 201)
    assert_problem(await http.delete(path, headers=bearer(keys.writer_b)), 403)
    assert (await http.delete(path, headers=bearer(keys.writer_a))).status_code == 204
    # The per-key cap (2 here), and an admin removing another key's entries.
    mine = ["NYSE%3AKO", "NYSE%3AXOM", "NYSE%3ADIS"]
    answers = [
        await http.put(f"/v1/stream/subscriptions/{s}", headers=bearer(keys.writer_b)) for s in mine
    ]
    assert [a.status_code for a in answers[:2]] == [201, 201]
    assert "PQ_WATCHLIST_MAX_PER_KEY" in assert_problem(answers[2], 409)["detail"]
    for s in mine[:2]:
        answer = await http.delete(f"/v1/stream/subscriptions/{s}", headers=bearer(keys.admin))
        assert answer.status_code == 204


async def test_only_the_key_that_made_a_schedule_or_an_admin_changes_it(
    http: httpx.AsyncClient, keys: Keys
) -> None:
    path = "/v1/schedules/NASDAQ%3AAAPL"
    body = {"interval": "1d", "every": "1d", "bars": 10}
    assert (await http.put(path, headers=bearer(keys.writer_a), json=body)).status_code == 201
    assert_problem(await http.put(path, headers=bearer(keys.writer_b), json=body), 403)
    removed_by_b = await http.delete(path, params={"interval": "1d"}, headers=bearer(keys.writer_b))
    assert_problem(removed_by_b, 403)
    other = {"interval": "1h", "every": "1d", "bars": 10}
    capped = await http.put(path, headers=bearer(keys.writer_a), json=other)
    assert "PQ_SCHEDULES_MAX_PER_KEY" in assert_problem(capped, 409)["detail"]
    removed = await http.delete(path, params={"interval": "1d"}, headers=bearer(keys.writer_a))
    assert removed.status_code == 204


async def test_symbols_outside_the_grammar_are_refused_at_every_door(
    stack: E2eStack, http: httpx.AsyncClient, keys: Keys
) -> None:
    status, body = raw_request(
        stack.gateway_url,
        "PUT /v1/stream/subscriptions/NASDAQ:../../HEALTH HTTP/1.1",
        bearer(keys.writer_a),
    )
    assert status == 422, body
    assert b'"field":"path.symbol"' in body
    auth = bearer(keys.writer_a)
    doors = [
        (
            await http.get(
                "/v1/bars", params={"symbol": "NASDAQ:../x", "interval": "1h"}, headers=auth
            ),
            "query.symbol",
        ),
        (await http.get("/v1/quotes/NASDAQ%3AA%2FB", headers=auth), "path.symbol"),
        (
            await http.post(
                "/v1/sync", headers=auth, json={"symbol": "X:A*B", "interval": "1h", "bars": 1}
            ),
            "body.symbol",
        ),
        (
            await http.get("/v1/stream/events", params={"symbols": "NASDAQ:A>"}, headers=auth),
            "query.symbols",
        ),
        (
            await http.put(
                "/v1/schedules/X%3A..",
                headers=auth,
                json={"interval": "1d", "every": "1d", "bars": 1},
            ),
            "path.symbol",
        ),
    ]
    for answer, field in doors:
        assert_problem(answer, 422, field)
    webhook = await http.post(
        "/v1/webhooks",
        headers=bearer(keys.admin),
        json={
            "url": "https://93.184.216.34/h",
            "event_types": ["bar.completed"],
            "symbols": ["X:a b"],
        },
    )
    assert webhook.status_code == 422
    assert webhook.json()["errors"][0]["field"].startswith("body.symbols")


async def test_listings_leave_no_consumers_behind(
    stack: E2eStack, http: httpx.AsyncClient, keys: Keys
) -> None:
    auth = bearer(keys.admin)
    # Long enough for the background listings too (lease rounds, scheduler ticks).
    for _ in range(10):
        for path in (
            "/v1/stream/subscriptions",
            "/v1/schedules",
            "/v1/webhooks",
            "/v1/stream/status",
        ):
            assert (await http.get(path, headers=auth)).status_code == 200

    seen: list[dict[str, int]] = []

    async def settled() -> bool:
        counts = await asyncio.to_thread(kv_consumer_counts, stack)
        seen.append(counts)
        # What stays at idle: the long-lived followers (one per service watching a bucket);
        # the gateway's listings and the other services' background ones leave nothing.
        return bool(counts) and all(n <= 2 for n in counts.values())

    try:
        await wait_for(settled, timeout=30, interval=0.5, what="KV listing consumers deleted")
    except AssertionError as failure:
        raise AssertionError(f"{failure}; consumers per KV stream: {seen[-1]}") from None


def test_zz_no_key_or_secret_reaches_any_log(stack: E2eStack, keys: Keys) -> None:
    """Runs last in the module: every request above carried one of these keys."""
    logs = service_logs(Path(stack.data_dir))
    assert logs, "the stack writes service logs"
    for name, text in logs.items():
        for key in keys.all():
            secret = key.split("_", 2)[2]
            assert secret not in text, f"{name} holds an API key's secret"
        assert "whsec_" not in text.replace("whsec_***", ""), f"{name} holds a webhook secret"
