"""A MongoDB replica set for the store contract suites: PQ_TEST_MONGODB_URL, else Docker."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.waiting import wait_until


@contextlib.contextmanager
def mongodb_url() -> Iterator[str]:
    """PQ_TEST_MONGODB_URL, else a one-node replica set in Docker (testcontainers); else skip.

    Transactions need a replica set, so the container runs `mongod --replSet rs0` and is
    initiated here (no auth: a replica set with auth would also need a key file).
    """
    url = os.environ.get("PQ_TEST_MONGODB_URL")
    if url:
        yield url
        return
    try:
        import docker  # type: ignore[import-untyped]
        from testcontainers.core.container import DockerContainer
    except ImportError:
        pytest.skip("MongoDB: PQ_TEST_MONGODB_URL unset and testcontainers not installed")
    try:
        docker.from_env().ping()
    except Exception as exc:
        pytest.skip(f"MongoDB: PQ_TEST_MONGODB_URL unset and Docker unreachable ({exc})")
    container = DockerContainer("mongo:7").with_command("--replSet rs0 --bind_ip_all")
    with container.with_exposed_ports(27017) as running:
        host, port = running.get_container_host_ip(), running.get_exposed_port(27017)
        direct = f"mongodb://{host}:{port}/?directConnection=true"
        _initiate_replica_set(direct, f"{host}:{port}")
        yield direct


def _initiate_replica_set(url: str, member: str) -> None:
    from pymongo import MongoClient
    from pymongo.errors import PyMongoError

    client: MongoClient[dict[str, Any]] = MongoClient(url, serverSelectionTimeoutMS=1000)

    def answers() -> bool:
        try:
            return bool(client.admin.command("ping"))
        except PyMongoError:
            return False

    wait_until(answers, timeout=60, interval=0.5, what="mongod answering")
    config = {"_id": "rs0", "members": [{"_id": 0, "host": member}]}
    client.admin.command("replSetInitiate", config)

    def primary() -> bool:
        return bool(client.admin.command("hello").get("isWritablePrimary"))

    wait_until(primary, timeout=60, interval=0.5, what="replica set primary")
    client.close()
