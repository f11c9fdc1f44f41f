"""`HttpMiddleware`: the base of the gateway's pure-ASGI middleware.

Each one acts on HTTP requests only (and may narrow that with `applies_to`); lifespan
events and the requests it does not apply to go straight to the wrapped app.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class HttpMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.applies_to(scope):
            await self.handle(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def applies_to(self, scope: Scope) -> bool:
        """Whether `handle` sees this HTTP request (all of them unless narrowed)."""
        return True

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError
