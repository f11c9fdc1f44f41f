"""Readiness probes: how the launcher knows a child is serving, not merely running.

httpx and redis are imported by the probes that use them, when they first run: every `pq`
command imports this module, and those two imports were half a second of its start.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pq_launcher.bus_auth import without_userinfo
from pq_launcher.ports import port_accepts


class ReadinessProbe(Protocol):
    """Answers True once the child serves; must be quick (well under a second) and never raise."""

    def __call__(self) -> bool: ...

    def describe(self) -> str: ...


@dataclass(frozen=True)
class TcpProbe:
    host: str
    port: int

    def __call__(self) -> bool:
        return port_accepts(self.host, self.port)

    def describe(self) -> str:
        return f"tcp {self.host}:{self.port}"


@dataclass(frozen=True)
class HttpProbe:
    """Ready when GET `url` answers 2xx (e.g. a service's /health, nats-server's /healthz).

    `outside`: dependencies whose being down does not hold the stack back (a 503 /health
    naming only those is ready). TradingView is one: a wrong password or an outage there is
    reported through the running stack (failed jobs, /v1/stream/status), not by never
    starting it.
    """

    url: str
    outside: tuple[str, ...] = ()

    def __call__(self) -> bool:
        import httpx

        try:
            response = httpx.get(self.url, timeout=0.5)
            if response.is_success or not self.outside or response.status_code != 503:
                return response.is_success
            dependencies = response.json().get("dependencies", {})
            down = {name for name, d in dependencies.items() if d.get("status") != "up"}
            return bool(down) and down <= set(self.outside)
        except (httpx.HTTPError, ValueError, AttributeError):
            return False

    def describe(self) -> str:
        return f"GET {self.url}"


@dataclass(frozen=True)
class RedisPingProbe:
    """Ready when PING succeeds; an open port alone may still answer LOADING."""

    url: str

    def __call__(self) -> bool:
        import redis

        client = redis.Redis.from_url(self.url, socket_timeout=0.5, socket_connect_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def describe(self) -> str:
        return f"PING {without_userinfo(self.url)}"
