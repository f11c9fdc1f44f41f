"""`pq keys create|list|revoke` against a real NATS, and the keys at a real gateway."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from pq_gateway.main import create_app
from pq_gateway.settings import GatewaySettings
from pq_launcher.cli import main as pq_main
from pq_launcher.servers import NatsServer
from tests.integration.gateway.keys import bearer
from tests.support.serving import serving


def pq(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = pq_main(list(argv))
    return code, capsys.readouterr().out


def test_create_list_revoke_round_trip(
    own_nats_server: NatsServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = own_nats_server.url
    code, out = pq(
        capsys, "keys", "--nats-url", url, "create", "--name", "ci", "--scopes", "read,write"
    )
    assert code == 0, out
    key = out.strip().splitlines()[-1]
    key_id = key.split("_")[1]

    code, out = pq(capsys, "keys", "--nats-url", url, "list")
    assert code == 0
    [line] = [line for line in out.splitlines() if key_id in line]
    assert line.split()[1:3] == ["read,write", "ci"]
    assert line.endswith("active")
    assert key.split("_", 2)[2] not in out  # the secret is never listed

    assert pq(capsys, "keys", "--nats-url", url, "revoke", key_id)[0] == 0
    assert "revoked" in pq(capsys, "keys", "--nats-url", url, "list")[1]
    assert pq(capsys, "keys", "--nats-url", url, "revoke", "0000000000000000")[0] == 1


async def test_created_keys_open_the_gateway_with_their_scopes(
    gateway_settings: GatewaySettings,
    own_nats_server: NatsServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = gateway_settings.model_copy(update={"auth_disabled": False, "api_key_cache_s": 0.0})
    url = own_nats_server.url
    created = await asyncio.to_thread(
        pq_main, ["keys", "--nats-url", url, "create", "--name", "reader"]
    )
    assert created == 0
    key = capsys.readouterr().out.strip().splitlines()[-1]
    async with serving(create_app(settings)) as base, httpx.AsyncClient(base_url=base) as http:
        assert (await http.get("/v1/symbols")).status_code == 401
        ok = await http.get("/v1/stream/subscriptions", headers=bearer(key))
        assert ok.status_code == 200, ok.text
        body = {"symbol": "NASDAQ:AAPL", "interval": "1h", "bars": 5}
        assert (await http.post("/v1/sync", json=body, headers=bearer(key))).status_code == 403
        await asyncio.to_thread(pq_main, ["keys", "--nats-url", url, "revoke", key.split("_")[1]])
        revoked = await http.get("/v1/stream/subscriptions", headers=bearer(key))
        assert revoked.status_code == 401
