"""When to sign in again, where to sign in, and the simulator's account list format."""

from __future__ import annotations

import base64
import json

import pytest
from pydantic import SecretStr

from pq_tradingview import TradingViewSettings
from pq_tradingview.jwt_claims import TokenTimes
from pq_tvsim.accounts import Account, parse_accounts


def _jwt(claims: dict[str, object]) -> str:
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"eyJhbGciOiJIUzI1NiJ9.{body}.signature"


def test_a_four_hour_token_is_renewed_ten_minutes_before_it_expires() -> None:
    times = TokenTimes.of(_jwt({"iat": 1_000, "exp": 1_000 + 14_400}))
    assert times is not None
    assert times.refresh_at(600) == 1_000 + 14_400 - 600


def test_a_short_lived_token_is_renewed_a_quarter_of_its_life_early() -> None:
    times = TokenTimes.of(_jwt({"iat": 1_000, "exp": 1_020}))
    assert times is not None
    assert times.refresh_at(600) == 1_015


@pytest.mark.parametrize(
    "token", ["unauthorized_user_token", "a.b", _jwt({"iat": 1}), "x.!!!.y", _jwt({"exp": True})]
)
def test_tokens_without_a_numeric_exp_never_expire_here(token: str) -> None:
    assert TokenTimes.of(token) is None


@pytest.mark.parametrize(
    ("url", "web_url"),
    [
        ("wss://data.tradingview.com/socket.io/websocket", "https://www.tradingview.com"),
        ("wss://prodata.tradingview.com/socket.io/websocket", "https://www.tradingview.com"),
        ("ws://127.0.0.1:18765/socket.io/websocket", "http://127.0.0.1:18765"),
        ("wss://tv.internal:443/socket.io/websocket", "https://tv.internal:443"),
    ],
)
def test_the_signin_page_is_derived_from_the_websocket_url(url: str, web_url: str) -> None:
    assert TradingViewSettings(url=url).signin_base_url() == web_url
    explicit = TradingViewSettings(url=url, web_url="https://eu.tradingview.com/")
    assert explicit.signin_base_url() == "https://eu.tradingview.com"


def test_signing_in_needs_both_a_username_and_a_password() -> None:
    assert not TradingViewSettings().signs_in
    assert not TradingViewSettings(username="demo").signs_in
    assert TradingViewSettings(username="demo", password=SecretStr("demo")).signs_in
    assert "demo" not in repr(TradingViewSettings(password=SecretStr("demo")).password)


def test_simulator_accounts_parse_with_their_challenges() -> None:
    accounts = parse_accounts("alice:s3cret, bob:pw:2fa,carol:pw:captcha,")
    assert accounts == {
        "alice": Account("s3cret"),
        "bob": Account("pw", "2fa"),
        "carol": Account("pw", "captcha"),
    }
    for bad in ("nopassword", "x:", ":pw", "dave:pw:sms"):
        with pytest.raises(ValueError, match="PQ_TVSIM_USERS"):
            parse_accounts(bad)
