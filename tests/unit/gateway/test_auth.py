"""API keys: 401 without a valid key (with a challenge), 403 without the route's scope."""

from __future__ import annotations

import httpx
import pytest

from pq_gateway.auth.keys import Scope
from pq_gateway.auth.management import create_key, revoke_key
from pq_gateway.settings import GatewaySettings
from tests.unit.gateway.conftest import TEST_PEPPER, MemoryKeyStore
from tests.unit.gateway.problem_asserts import assert_problem

SYNC_BODY = {"symbol": "NASDAQ:AAPL", "interval": "1h", "bars": 10}


@pytest.fixture
def settings() -> GatewaySettings:
    return GatewaySettings(max_body_bytes=4096, rate_limits_enabled=False)


async def _key(store: MemoryKeyStore, *scopes: Scope) -> str:
    _, key = await create_key(store, name="test", scopes=scopes, pepper=TEST_PEPPER)
    return key


async def test_no_key_is_401_with_a_challenge(gateway_client: httpx.AsyncClient) -> None:
    response = await gateway_client.get("/v1/symbols")
    body = assert_problem(response, 401)
    assert body["type"] == "urn:pq:problem:unauthenticated"
    assert response.headers["www-authenticate"] == 'Bearer realm="pocketquant"'


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer pq_0123456789abcdef_not-the-secret"},
        {"Authorization": "Bearer garbage"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"X-API-Key": "pq_zzzz"},
    ],
)
async def test_an_invalid_key_is_401_invalid_token(
    gateway_client: httpx.AsyncClient, key_store: MemoryKeyStore, headers: dict[str, str]
) -> None:
    await _key(key_store, Scope.ADMIN)  # a real key exists; the presented one is not it
    response = await gateway_client.get("/v1/symbols", headers=headers)
    assert_problem(response, 401)
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


@pytest.mark.parametrize("header", ["Authorization", "X-API-Key"])
async def test_a_read_key_reads_by_either_header(
    gateway_client: httpx.AsyncClient, key_store: MemoryKeyStore, header: str
) -> None:
    key = await _key(key_store, Scope.READ)
    value = f"Bearer {key}" if header == "Authorization" else key
    response = await gateway_client.get("/v1/symbols", headers={header: value})
    assert response.status_code == 200, response.text


async def test_a_read_key_cannot_write_403(
    gateway_client: httpx.AsyncClient, key_store: MemoryKeyStore
) -> None:
    key = await _key(key_store, Scope.READ)
    response = await gateway_client.post(
        "/v1/sync", json=SYNC_BODY, headers={"Authorization": f"Bearer {key}"}
    )
    body = assert_problem(response, 403)
    assert body["type"] == "urn:pq:problem:insufficient-scope"
    assert 'scope="write"' in response.headers["www-authenticate"]


async def test_a_write_key_writes_but_webhooks_need_admin(
    gateway_client: httpx.AsyncClient, key_store: MemoryKeyStore
) -> None:
    key = await _key(key_store, Scope.WRITE)
    auth = {"Authorization": f"Bearer {key}"}
    assert (await gateway_client.post("/v1/sync", json=SYNC_BODY, headers=auth)).status_code == 202
    assert_problem(await gateway_client.get("/v1/webhooks", headers=auth), 403)


async def test_a_revoked_key_is_401(
    gateway_client: httpx.AsyncClient, key_store: MemoryKeyStore
) -> None:
    record, key = await create_key(
        key_store, name="gone", scopes=(Scope.ADMIN,), pepper=TEST_PEPPER
    )
    await revoke_key(key_store, record.key_id)
    response = await gateway_client.get("/v1/symbols", headers={"X-API-Key": key})
    assert_problem(response, 401)


async def test_unknown_v1_paths_do_not_reveal_themselves(
    gateway_client: httpx.AsyncClient,
) -> None:
    assert_problem(await gateway_client.get("/v1/secret-admin"), 401)


@pytest.mark.parametrize("path", ["/openapi.json", "/asyncapi", "/docs", "/metrics"])
async def test_documents_and_metrics_are_public(
    gateway_client: httpx.AsyncClient, path: str
) -> None:
    assert (await gateway_client.get(path)).status_code == 200
