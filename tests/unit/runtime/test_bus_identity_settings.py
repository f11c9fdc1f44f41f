"""Each service's NATS identity and Redis password come from settings, as secrets, and
production refuses to start without them."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from pq_runtime.settings import ServiceSettings
from tests.support.secure_bus_env import SECURE_BUS_ENV as SECURE


def test_the_password_is_a_secret_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PQ_NATS_USER", "query")
    monkeypatch.setenv("PQ_NATS_PASSWORD", "s3cret-value-xyz")
    settings = ServiceSettings()
    assert isinstance(settings.nats_password, SecretStr)
    assert "s3cret-value-xyz" not in repr(settings)
    options = settings.nats_identity.connect_options()
    assert options["user"] == "query"
    assert options["password"] == "s3cret-value-xyz"
    assert options["inbox_prefix"] == "_INBOX_query"


def test_without_an_identity_nothing_is_added() -> None:
    assert ServiceSettings(nats_user=None, nats_password=None).nats_identity.connect_options() == {}


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        ("PQ_NATS_PASSWORD", "PQ_NATS_PASSWORD"),
        ("PQ_REDIS_PASSWORD", "PQ_REDIS_PASSWORD"),
    ],
)
def test_production_refuses_an_open_bus(
    monkeypatch: pytest.MonkeyPatch, missing: str, named: str
) -> None:
    for key, value in SECURE.items():
        if key != missing:
            monkeypatch.setenv(key, value)
    monkeypatch.delenv(missing, raising=False)
    with pytest.raises(ValidationError, match=named):
        ServiceSettings(env="production")


def test_production_refuses_a_placeholder_password(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in SECURE.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("PQ_NATS_PASSWORD", "replace-me-from-a-secret")
    with pytest.raises(ValidationError, match="placeholder"):
        ServiceSettings(env="production")


def test_production_starts_when_secured(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in SECURE.items():
        monkeypatch.setenv(key, value)
    settings = ServiceSettings(env="production")
    assert settings.env == "production"
