"""PQ_ENV=production refuses placeholder secrets and disabled auth at settings validation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from pq_gateway.settings import GatewaySettings
from tests.support.secure_bus_env import set_secure_bus_env

GOOD_PEPPER = "9f2c4e7a1b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PQ_ENV", "PQ_API_KEY_PEPPER", "PQ_AUTH_DISABLED"):
        monkeypatch.delenv(name, raising=False)
    set_secure_bus_env(monkeypatch)  # the bus's own production checks: pq_runtime's tests


def test_development_is_the_default_and_allows_an_empty_pepper() -> None:
    settings = GatewaySettings()
    assert settings.env == "development"
    assert settings.api_key_pepper == ""
    assert GatewaySettings(auth_disabled=True).auth_disabled


def test_production_starts_with_a_long_random_pepper(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PQ_ENV", "production")
    monkeypatch.setenv("PQ_API_KEY_PEPPER", GOOD_PEPPER)
    settings = GatewaySettings()
    assert settings.env == "production"
    assert settings.api_key_pepper == GOOD_PEPPER


@pytest.mark.parametrize(
    ("pepper", "reason"),
    [
        ("", "PQ_API_KEY_PEPPER is empty"),
        ("x" * 31, "shorter than 32 characters"),
        ("short-but-random-7f3a", "shorter than 32 characters"),
        ("x" * 40, "placeholder"),
        ("0" * 64, "placeholder"),
        ("changeme-changeme-changeme-changeme", "placeholder"),
        ("please-change-me-to-a-long-random-value", "placeholder"),
    ],
)
def test_production_refuses_a_weak_pepper(
    monkeypatch: pytest.MonkeyPatch, pepper: str, reason: str
) -> None:
    monkeypatch.setenv("PQ_ENV", "production")
    monkeypatch.setenv("PQ_API_KEY_PEPPER", pepper)
    with pytest.raises(ValidationError) as raised:
        GatewaySettings()
    assert "refusing to start with PQ_ENV=production" in str(raised.value)
    assert reason in str(raised.value)
    assert pepper not in str(raised.value) or not pepper  # the secret is never echoed


def test_production_refuses_disabled_auth(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PQ_ENV", "production")
    monkeypatch.setenv("PQ_API_KEY_PEPPER", GOOD_PEPPER)
    monkeypatch.setenv("PQ_AUTH_DISABLED", "true")
    with pytest.raises(ValidationError, match="PQ_AUTH_DISABLED=true"):
        GatewaySettings()


def test_an_unknown_env_is_refused() -> None:
    with pytest.raises(ValidationError):
        GatewaySettings(env="staging")
