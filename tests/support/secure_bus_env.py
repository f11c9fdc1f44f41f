"""Environment a production service needs for its bus (NATS identity over TLS, Redis with a
password over TLS): unit tests of other production checks set it so only theirs can fail."""

from __future__ import annotations

import pytest

SECURE_BUS_ENV = {
    "PQ_NATS_USER": "query",
    "PQ_NATS_PASSWORD": "Zq8wV1m4Xk2pT9rL0sYb",
    "PQ_NATS_URL": "tls://nats:4222",
    "PQ_REDIS_URL": "rediss://redis:6379/0",
    "PQ_REDIS_PASSWORD": "Hn3kP0qW7eR2tY5uI8oA",
}


def set_secure_bus_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in SECURE_BUS_ENV.items():
        monkeypatch.setenv(key, value)
