"""The gateway's one NATS connection, kept alive for the app's lifetime.

The gateway must start (and answer /health with 503) while NATS is down. pq_runtime's
`connect_nats` reconnects forever, which also makes nats-py's first connect retry until
it succeeds, so it runs as a background task; routes that need NATS get a 503 problem
until it is up.
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext

from pq_runtime.bus_identity import NatsIdentity
from pq_runtime.messaging import connect_nats

from ..api.problems import dependency_unavailable

log = structlog.get_logger("pq_gateway.nats")


class NatsLink:
    def __init__(
        self, url: str, *, name: str = "pq-gateway", identity: NatsIdentity | None = None
    ) -> None:
        self._url = url
        self._name = name
        self._identity = identity
        self._connecting: asyncio.Task[NatsClient] | None = None

    async def start(self, wait_s: float = 2.0) -> None:
        """Begin connecting; wait up to `wait_s` so a healthy start is ready at once."""
        self._connecting = asyncio.create_task(self._connect(), name="nats-connect")
        await asyncio.wait({self._connecting}, timeout=wait_s)
        if not self.is_connected:
            log.warning("nats not reachable yet; still trying in the background", url=self._url)

    async def close(self) -> None:
        task, self._connecting = self._connecting, None
        if task is None:
            return
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            return
        client = task.result() if task.exception() is None else None
        if client is not None and not client.is_closed:
            with contextlib.suppress(Exception):
                await client.drain()

    async def wait_connected(self) -> None:
        """Return once connected (the background connect retries forever)."""
        task = self._connecting
        if task is None:
            raise RuntimeError("NatsLink.start() was not called")
        await asyncio.shield(task)

    @property
    def is_connected(self) -> bool:
        client = self._client_or_none()
        return client is not None and client.is_connected

    def client(self) -> NatsClient:
        """The live connection, or a 503 problem while NATS is unreachable."""
        client = self._client_or_none()
        if client is None or not client.is_connected:
            raise dependency_unavailable("NATS", "the message broker is unreachable; retry shortly")
        return client

    def jetstream(self) -> JetStreamContext:
        return self.client().jetstream()

    def _client_or_none(self) -> NatsClient | None:
        task = self._connecting
        if task is None or not task.done() or task.cancelled() or task.exception() is not None:
            return None
        return task.result()

    async def _connect(self) -> NatsClient:
        # Reconnects forever; that also makes this first connect retry until it succeeds.
        client = await connect_nats(self._url, name=self._name, identity=self._identity)
        log.info("nats connected", url=self._url)
        return client
