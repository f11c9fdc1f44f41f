"""An aiohttp webhook receiver on 127.0.0.1 that fails its first `failures` deliveries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class Received:
    headers: dict[str, str]
    body: str
    answered: int


@dataclass
class WebhookReceiver:
    failures: int = 0
    received: list[Received] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        status = 500 if len(self.received) < self.failures else 204
        self.received.append(Received(dict(request.headers), await request.text(), status))
        return web.Response(status=status)


@asynccontextmanager
async def receiving(receiver: WebhookReceiver) -> AsyncIterator[str]:
    """Serve `receiver` at http://127.0.0.1:<free port>/hook; yield that URL."""
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/hook"
    finally:
        await runner.cleanup()
