from __future__ import annotations

import pytest

from pq_runtime.settings import ServiceSettings


class QuerySettings(ServiceSettings):
    service_name: str = "query"
    http_port: int = 18091


def test_defaults_are_local(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("PQ_NATS_URL", "PQ_STREAM_REPLICAS", "PQ_STORE_URL"):
        monkeypatch.delenv(key, raising=False)
    s = QuerySettings()
    assert s.nats_url == "nats://127.0.0.1:14222"
    assert s.stream_replicas == 1
    assert s.outbox_retention_s == 24 * 3600


def test_environment_with_the_pq_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PQ_NATS_URL", "nats://nats:4222")
    monkeypatch.setenv("PQ_STREAM_REPLICAS", "3")
    monkeypatch.setenv("PQ_STORE_URL", "mongodb://mongo/query?replicaSet=rs0")
    s = QuerySettings()
    assert (s.nats_url, s.stream_replicas, s.http_port) == ("nats://nats:4222", 3, 18091)
    assert s.store_url.startswith("mongodb://")
