"""Connecting to NATS with settings that survive a server restart."""

from __future__ import annotations

import nats
import structlog
from nats.aio.client import Client

from pq_runtime.bus_identity import NatsIdentity

log = structlog.get_logger(__name__)


def server_urls(url: str) -> list[str]:
    """PQ_NATS_URL names one server or a cluster, comma-separated (`nats://a:4222,nats://b:4222`).

    The client tries them in turn and learns the rest of the cluster from the servers.
    """
    urls = [part.strip() for part in url.split(",") if part.strip()]
    if not urls:
        raise ValueError("PQ_NATS_URL is empty")
    return urls


async def connect_nats(
    url: str,
    *,
    name: str = "pq",
    connect_timeout: float = 5.0,
    identity: NatsIdentity | None = None,
) -> Client:
    """A client that reconnects forever (a restarted server must not end a service).

    `identity`: this process's NATS user, password and TLS CA (settings.nats_identity).
    """

    async def on_disconnect() -> None:
        log.warning("nats.disconnected", client=name)

    async def on_reconnect() -> None:
        log.info("nats.reconnected", client=name)

    async def on_error(exc: Exception) -> None:
        # Refused connects repeat every reconnect attempt while the server is down.
        level = log.debug if isinstance(exc, ConnectionRefusedError) else log.warning
        level("nats.error", client=name, error=str(exc))

    return await nats.connect(
        server_urls(url),
        name=name,
        connect_timeout=connect_timeout,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.25,
        allow_reconnect=True,
        disconnected_cb=on_disconnect,
        reconnected_cb=on_reconnect,
        error_cb=on_error,
        pending_size=64 * 1024 * 1024,
        **(identity or NatsIdentity()).connect_options(),
    )
