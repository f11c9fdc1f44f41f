"""The simulator's HTTP server: the TradingView WebSocket plus a small control API.

`async with Simulator(SimulatorConfig(port=0)) as sim:` starts it in-process (tests);
`python -m pq_tvsim` runs it standalone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from types import TracebackType

from aiohttp import WSMsgType, web

from .client_connection import ClientConnection
from .config import SimulatorConfig
from .control import control_routes
from .link import ClientLink
from .signin import signin_routes
from .world import World

log = logging.getLogger(__name__)

WEBSOCKET_PATH = "/socket.io/websocket"


class Simulator:
    def __init__(self, config: SimulatorConfig | None = None) -> None:
        self.config = config or SimulatorConfig()
        self.world = World(self.config)
        self.connections: set[ClientConnection] = set()
        self.connections_accepted = 0
        self._rng = random.Random(self.config.seed)
        self._runner: web.AppRunner | None = None
        self._dropper: asyncio.Task[None] | None = None
        self.port = self.config.port

    @property
    def url(self) -> str:
        return f"ws://{self.config.host}:{self.port}{WEBSOCKET_PATH}"

    @property
    def http_url(self) -> str:
        return f"http://{self.config.host}:{self.port}"

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get(WEBSOCKET_PATH, self._websocket)
        app.router.add_get("/health", self._health)
        app.add_routes(control_routes(self))
        app.add_routes(signin_routes(self.world))
        return app

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app(), handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.config.host, self.config.port)
        await site.start()
        server = site._server
        if isinstance(server, asyncio.base_events.Server) and server.sockets:
            self.port = server.sockets[0].getsockname()[1]
        self._dropper = asyncio.create_task(self._drop_periodically())
        log.info("TradingView simulator listening on %s", self.url)

    async def stop(self) -> None:
        if self._dropper is not None:
            self._dropper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._dropper
        for connection in list(self.connections):
            connection.link.abort()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self.world.history.close()

    async def __aenter__(self) -> Simulator:
        await self.start()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    def drop_all(self) -> int:
        """Cut every open connection abruptly; returns how many."""
        connections = list(self.connections)
        for connection in connections:
            connection.link.abort()
        return len(connections)

    async def _drop_periodically(self) -> None:
        while True:
            every = self.world.faults.drop_every_s
            await asyncio.sleep(every if every > 0 else 0.2)
            if every > 0 and self.world.faults.drop_every_s > 0:
                log.info("fault: dropping %d connections", self.drop_all())

    async def _health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "connections": len(self.connections)})

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        if self.world.faults.take_rejected_connection():
            return web.Response(status=429, text="Too Many Requests", headers={"Retry-After": "1"})
        ws = web.WebSocketResponse(max_msg_size=1024 * 1024)
        await ws.prepare(request)
        world = self.world
        link = ClientLink(ws, request.transport, world.clock, world.faults, self._rng)
        connection = ClientConnection(world, link)
        self.connections.add(connection)
        self.connections_accepted += 1
        config = self.config
        tasks = [
            asyncio.create_task(
                link.run_heartbeats(config.heartbeat_interval_s, config.heartbeat_timeout_s)
            ),
            asyncio.create_task(connection.run_updates(config.stream_interval_s)),
        ]
        try:
            await link.send([connection.hello()])
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    break
                if not await connection.on_message(msg.data):
                    break
        except (ConnectionError, RuntimeError) as exc:
            log.debug("client connection ended: %r", exc)
        finally:
            self.connections.discard(connection)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await ws.close()
        return ws
