"""A tiny real HTTP server (uvicorn, raw ASGI) for the load generator to hit.

/health answers 200, /v1/bars a small JSON page, /v1/quotes/* 503: so a run's errors by
status are known in advance.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any

import uvicorn

BARS_BODY = b'{"symbol":"NASDAQ:AAPL","interval":"1h","bars":[],"next_cursor":null}'


async def tiny_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    path: str = scope["path"]
    if path == "/health":
        status, body = 200, b'{"status":"ok"}'
    elif path == "/v1/bars":
        status, body = 200, BARS_BODY
    elif path.startswith("/v1/quotes/"):
        status, body = 503, b'{"title":"query unavailable"}'
    else:
        status, body = 404, b"{}"
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@contextlib.asynccontextmanager
async def serving_tiny_app() -> AsyncIterator[str]:
    """Serve `tiny_app` on a free loopback port; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(tiny_app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:  # uvicorn sets it once it listens
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()
