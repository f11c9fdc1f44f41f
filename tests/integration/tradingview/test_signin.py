"""Signing in against the simulator's /accounts/signin/, and the tokens that come of it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr

from pq_tradingview import (
    QuoteStreamOptions,
    SignInChallenge,
    SignInRejected,
    TradingViewClient,
)
from pq_tradingview.jwt_claims import TokenTimes
from pq_tvsim import Simulator
from pq_tvsim.accounts import Account, parse_accounts
from tests.integration.tvsim.wire import Wire
from tests.support.waiting import wait_for

from .conftest import client_settings, simulator_config

USERS = "quant:pw-correct-horse,robot:pw-robot:captcha,guarded:pw-guarded:2fa"


@pytest.fixture
async def simulator() -> AsyncIterator[Simulator]:
    config = simulator_config(accounts=parse_accounts("demo:demo," + USERS), token_ttl_s=4.0)
    async with Simulator(config) as sim:
        yield sim


def signed_in(simulator: Simulator, user: str, password: str) -> TradingViewClient:
    settings = client_settings(simulator, username=user, password=SecretStr(password))
    return TradingViewClient(settings)


async def _post_signin(sim: Simulator, form: dict[str, str], **headers: str) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{sim.http_url}/accounts/signin/", data=form, headers=headers) as r,
    ):
        return r.status, await r.json()


async def test_the_signin_page_answers_as_tradingview_does(simulator: Simulator) -> None:
    referer = {"Referer": simulator.http_url}
    status, body = await _post_signin(
        simulator, {"username": "demo", "password": "demo", "remember": "on"}, **referer
    )
    assert status == 200
    times = TokenTimes.of(body["user"]["auth_token"])
    assert times is not None
    assert times.expires_at - time.time() == pytest.approx(4.0, abs=1.5)

    wrong = await _post_signin(simulator, {"username": "demo", "password": "nope"}, **referer)
    assert wrong[1]["code"] == "invalid_credentials"
    assert "user" not in wrong[1]
    captcha = await _post_signin(
        simulator, {"username": "robot", "password": "pw-robot"}, **referer
    )
    assert captcha[1]["code"] == "recaptcha_required"
    second = await _post_signin(
        simulator, {"username": "guarded", "password": "pw-guarded"}, **referer
    )
    assert second[1]["code"] == "2FA_required"
    no_referer = await _post_signin(simulator, {"username": "demo", "password": "demo"})
    assert no_referer[0] == 403
    assert dict(simulator.world.signins) == {"ok": 1, "rejected": 1, "challenged": 2, "refused": 1}


async def test_a_signed_in_client_reuses_its_token_then_renews_it_before_expiry(
    simulator: Simulator,
) -> None:
    async with signed_in(simulator, "quant", "pw-correct-horse") as client:
        await client.fetch_history("BINANCE:BTCUSDT", "1h", bars=5)
        await client.fetch_history("BINANCE:ETHUSDT", "1h", bars=5)
        assert simulator.world.signins["ok"] == 1
        await wait_for(_async(client.auth.refresh_due), timeout=10, what="renewal due")
        await client.fetch_history("BINANCE:BTCUSDT", "1h", bars=5)
    assert simulator.world.signins["ok"] == 2
    assert simulator.world.tokens.bad_tokens == 0  # renewed before the server refused one


async def test_a_revoked_token_means_signing_in_again_once(simulator: Simulator) -> None:
    async with signed_in(simulator, "demo", "demo") as client:
        await client.fetch_history("BINANCE:BTCUSDT", "1h", bars=5)
        simulator.world.tokens.revoke_all()
        result = await client.fetch_history("BINANCE:BTCUSDT", "1h", bars=5)
    assert len(result.bars) == 5
    assert simulator.world.tokens.bad_tokens == 1
    assert simulator.world.signins["ok"] == 2


async def test_a_wrong_password_is_typed_and_not_tried_again(simulator: Simulator) -> None:
    async with signed_in(simulator, "quant", "wrong") as client:
        for _ in range(3):
            with pytest.raises(SignInRejected, match="sign-in as 'quant'") as failed:
                await client.fetch_history("BINANCE:BTCUSDT", "1h", bars=5)
            assert "wrong" not in str(failed.value)  # never the password
    assert simulator.world.signins["rejected"] == 1  # held: no second POST


@pytest.mark.parametrize(("user", "password"), [("robot", "pw-robot"), ("guarded", "pw-guarded")])
async def test_a_captcha_or_second_factor_demand_is_typed(
    simulator: Simulator, user: str, password: str
) -> None:
    async with signed_in(simulator, user, password) as client:
        with pytest.raises(SignInChallenge, match=f"sign-in as '{user}' needs"):
            await client.fetch_history("BINANCE:BTCUSDT", "1h", bars=5)


async def test_a_forged_or_expired_token_is_refused_and_the_connection_closed(
    simulator: Simulator,
) -> None:
    token = simulator.world.tokens.issue("demo")
    head, _, _ = token.rpartition(".")
    for bad in (f"{head}.forged", _expired(simulator)):
        async with aiohttp.ClientSession() as http, http.ws_connect(simulator.url) as ws:
            wire = Wire(ws)
            await wire.next()
            await wire.send("set_auth_token", bad)
            assert (await wire.until("protocol_error"))["p"] == ["bad auth token"]
            assert not isinstance(await wire.next(), dict)  # then the close


async def test_the_quote_stream_renews_its_token_on_a_quiet_open_connection() -> None:
    # No symbols and a heartbeat every 10 s: nothing arrives before the 4 s token would
    # expire, so the renewal must come from the stream's own timer, not from traffic.
    config = simulator_config(
        accounts=parse_accounts("demo:demo"),
        token_ttl_s=4.0,
        heartbeat_interval_s=10.0,
        heartbeat_timeout_s=30.0,
    )
    options = QuoteStreamOptions(silence_timeout_s=25.0, backoff_initial_s=0.1)
    async with (
        Simulator(config) as simulator,
        signed_in(simulator, "demo", "demo") as client,
        client.quote_stream(options) as stream,
    ):
        started = time.monotonic()
        await wait_for(
            _async(lambda: simulator.world.signins["ok"] >= 4), timeout=30, what="3 renewals"
        )
        assert time.monotonic() - started > 4  # outlived the first token
        status = stream.status()
        assert status.connected
        assert status.reconnects == 0  # renewed in place: the server never cut it
        assert simulator.world.tokens.bad_tokens == 0


async def test_the_quote_stream_waits_out_a_refused_signin(simulator: Simulator) -> None:
    options = QuoteStreamOptions(silence_timeout_s=5.0, backoff_initial_s=0.05, backoff_max_s=0.1)
    async with signed_in(simulator, "quant", "wrong") as client, client.quote_stream(options) as s:
        await s.subscribe("BINANCE:BTCUSDT")
        await wait_for(
            _async(lambda: "sign-in as 'quant'" in (s.status().last_error or "")),
            what="the sign-in failure in the status",
        )
        await asyncio.sleep(1.0)  # ten backoff periods: a loop would have signed in again
        assert not s.status().connected
    assert simulator.world.signins["rejected"] == 1


def _expired(simulator: Simulator) -> str:
    simulator.world.tokens.ttl_s = 1
    token = simulator.world.tokens.issue("demo")
    simulator.world.tokens.ttl_s = 4
    deadline = time.time() + 3
    while simulator.world.tokens.expires_at(token) is not None and time.time() < deadline:
        time.sleep(0.05)
    return token


def _async(probe: Any) -> Any:
    async def check() -> Any:
        return probe()

    return check


async def test_a_refused_renewal_keeps_the_old_token_until_it_expires() -> None:
    config = simulator_config(accounts=parse_accounts("quant:before"), token_ttl_s=8.0)
    async with Simulator(config) as simulator, signed_in(simulator, "quant", "before") as client:
        signed_in_by = time.time()
        await client.fetch_history("BINANCE:BTCUSDT", "1h", bars=5)
        simulator.world.accounts["quant"] = Account("changed")  # the password changed
        await wait_for(_async(client.auth.refresh_due), timeout=15, what="renewal due")
        await client.fetch_history("BINANCE:BTCUSDT", "1h", bars=5)  # on the old token
        assert simulator.world.signins["rejected"] == 1
        expired = _async(lambda: time.time() > signed_in_by + 8.5)
        await wait_for(expired, timeout=15, what="the old token's expiry")
        with pytest.raises(SignInRejected, match="sign-in as 'quant'"):
            await client.fetch_history("BINANCE:BTCUSDT", "1h", bars=5)
    assert simulator.world.signins["rejected"] == 1  # the refusal was held, not repeated
    assert simulator.world.tokens.bad_tokens == 0
