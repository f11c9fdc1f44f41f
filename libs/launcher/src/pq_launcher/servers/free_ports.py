"""Start servers on ports nobody else holds (tests, side-by-side stacks)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar

from pq_launcher.bus_auth import BusAuth
from pq_launcher.child import ChildFailedToStart
from pq_launcher.ports import free_port
from pq_launcher.servers.base import EmbeddedServer
from pq_launcher.servers.nats import NatsServer, NatsServerConfig
from pq_launcher.servers.redis import RedisServer, RedisServerConfig

_ATTEMPTS = 3
ServerT = TypeVar("ServerT", bound=EmbeddedServer)


class NatsServerFactory(Protocol):
    """The `nats_server_factory` fixture: a running server, optionally on an existing store."""

    def __call__(self, data_dir: Path | None = None) -> NatsServer: ...


class RedisServerFactory(Protocol):
    """The `redis_server_factory` fixture."""

    def __call__(self, data_dir: Path | None = None) -> RedisServer: ...


def _start_with_retries(make: Callable[[], ServerT]) -> ServerT:
    # A free port can be taken between probing and binding; a fresh pick fixes that.
    for attempt in range(_ATTEMPTS):
        server = make()
        try:
            server.start()
        except ChildFailedToStart:
            if attempt == _ATTEMPTS - 1:
                raise
            continue
        return server
    raise AssertionError("unreachable")


def start_nats_on_free_ports(data_dir: Path) -> NatsServer:
    """A running nats-server (JetStream, sync always) with its store under `data_dir`.

    Auth is on, as in the stack: `server.url` carries the admin identity, and
    `BusAuth(data_dir)` holds every service identity's password (credentials.json).
    """
    return _start_with_retries(
        lambda: NatsServer(
            NatsServerConfig(
                port=free_port(),
                monitor_port=free_port(),
                data_dir=data_dir,
                auth=BusAuth(data_dir),
            )
        )
    )


def start_redis_on_free_ports(data_dir: Path) -> RedisServer:
    """A running redis-server with its folder under `data_dir`, password on (`server.url`
    carries it)."""
    password = BusAuth(data_dir).secrets().redis
    return _start_with_retries(
        lambda: RedisServer(
            RedisServerConfig(port=free_port(), data_dir=data_dir, password=password)
        )
    )
