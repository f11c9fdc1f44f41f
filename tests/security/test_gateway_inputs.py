"""Inputs an attacker controls, checked in-process: the symbol grammar every door uses,
the client address behind proxies, the production guard and `pq keys` arguments."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError

from pq_domain import InvalidSymbol, Symbol
from pq_gateway.auth.client_address import client_address
from pq_gateway.auth.key_input import key_id, key_name, key_scopes
from pq_gateway.auth.keys import Scope
from pq_gateway.settings import GatewaySettings
from pq_gateway.settings_types import parse_networks
from tests.support.secure_bus_env import set_secure_bus_env

PQ = Path(sys.executable).parent / "pq"
PEPPER = "k3Jq9vX2mT7pL4wR8sY1nB6cF0hD5gZa"


@pytest.mark.parametrize(
    "text",
    [
        "NASDAQ:AAPL",
        "nyse:brk.b",
        "CME_MINI:ES1!",
        "BINANCE:BTCUSDT",
        "NSE:M&M",
        "KRX:005930",
        "KRX:\uc0bc\uc131\uc804\uc790",  # letters of another script
    ],
)
def test_the_symbols_people_use_fit_the_grammar(text: str) -> None:
    assert str(Symbol.parse(text)) == text.upper()


@pytest.mark.parametrize(
    "text",
    [
        "NASDAQ:../../HEALTH",
        "NASDAQ:A/B",
        "NASDAQ:..",
        "NASDAQ:.AAPL",
        "NASDAQ:A..B",
        "X:A*B",
        "X:A>",
        "X:A,B",
        "X:A%2FB",
        "X:A\\B",
        "NAS.DAQ:AAPL",
        "X:A\u2044B",  # fraction slash
        "X:A\u2215B",  # division slash
        "X:A\uff0fB",  # full-width solidus
        "X:A\u2024\u2024B",  # one-dot leaders
        "X:A\u200bB",
        "X:A\tB",
        "E" * 33 + ":A",
    ],
)
def test_symbols_outside_the_grammar_are_refused(text: str) -> None:
    with pytest.raises(InvalidSymbol):
        Symbol.parse(text)


def _scope(peer: str, forwarded: str | None) -> dict[str, object]:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return {"type": "http", "client": (peer, 50000), "headers": headers}


def test_x_forwarded_for_counts_only_from_trusted_proxies() -> None:
    ingress = parse_networks("10.0.0.0/8")
    # Not through the Ingress: the header is the client's own invention.
    assert client_address(_scope("203.0.113.5", "198.51.100.1"), ingress) == "203.0.113.5"
    assert client_address(_scope("10.1.2.3", "198.51.100.1"), ()) == "10.1.2.3"
    # Through it: the address the Ingress appended, whatever the client prepended.
    assert client_address(_scope("10.1.2.3", "198.51.100.1"), ingress) == "198.51.100.1"
    spoofed = "1.2.3.4, 5.6.7.8, 198.51.100.1"
    assert client_address(_scope("10.1.2.3", spoofed), ingress) == "198.51.100.1"
    chained = "198.51.100.1, 10.9.9.9"  # a second trusted hop
    assert client_address(_scope("10.1.2.3", chained), ingress) == "198.51.100.1"
    assert client_address(_scope("10.1.2.3", "not-an-address"), ingress) == "10.1.2.3"


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ({"webhooks_allow_private": True}, "PQ_WEBHOOKS_ALLOW_PRIVATE"),
        ({"rate_limits_enabled": False}, "PQ_RATE_LIMITS_ENABLED"),
    ],
)
def test_production_refuses_private_webhooks_and_disabled_rate_limits(
    override: dict[str, object], named: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_secure_bus_env(monkeypatch)  # the bus's own production checks are pq_runtime's
    with pytest.raises(ValidationError, match=named):
        GatewaySettings(env="production", api_key_pepper=PEPPER, **override)  # type: ignore[arg-type]
    GatewaySettings(env="development", **override)  # type: ignore[arg-type]


def test_production_counts_auth_failures_fail_closed_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_secure_bus_env(monkeypatch)
    assert GatewaySettings(env="production", api_key_pepper=PEPPER).count_auth_failures_locally
    assert not GatewaySettings(env="development").count_auth_failures_locally


def _pq_keys(*args: str) -> subprocess.CompletedProcess[str]:
    # A NATS nobody answers on: validation must refuse before any connection.
    argv = [str(PQ), "keys", "--nats-url", "nats://127.0.0.1:1", *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("check", "text", "says"),
    [
        (key_scopes, "", "at least one"),
        (key_scopes, " , ", "at least one"),
        (key_scopes, "read,root", "unknown scope 'root'"),
        (key_name, "", "must not be empty"),
        (key_name, "ci\x1b[2J\nadmin", "control characters"),
        (key_name, "x" * 101, "at most 100"),
        (key_id, "../../etc", "not a key id"),
        (key_id, "*", "not a key id"),
        (key_id, "0123456789ABCDEF", "not a key id"),
        (key_id, "a\x01b", "not a key id"),
    ],
)
def test_pq_keys_arguments_are_validated(
    check: Callable[[str], object], text: str, says: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(says)):
        check(text)


def test_pq_keys_accepts_a_whole_key_where_an_id_is_asked() -> None:
    assert key_id("pq_0123456789abcdef_secret") == "0123456789abcdef"
    assert key_scopes("Admin, read") == (Scope.ADMIN, Scope.READ)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("create", "--name", "ci\x1b[2J", "--scopes", "read"), "control characters"),
        (("create", "--name", "ci", "--scopes", ""), "at least one"),
        (("revoke", "../../etc"), "not a key id"),
    ],
)
def test_pq_keys_refuses_bad_input_cleanly(args: tuple[str, ...], says: str) -> None:
    done = _pq_keys(*args)
    assert done.returncode == 2, done
    assert says in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
