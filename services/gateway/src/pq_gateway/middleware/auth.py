"""API keys on every /v1 route: 401 without a valid key, 403 without the route's scope.

Keys come as `Authorization: Bearer <key>` or `X-API-Key: <key>`. The required scope
follows from the method and path (below), so an unknown /v1 path answers 401 to a
stranger rather than revealing which routes exist. The caller's Principal is put in the
scope for the rate limiter, idempotency and routes (`SCOPE_KEY`).
"""

from __future__ import annotations

import structlog
from starlette.types import ASGIApp, Receive, Scope, Send

from ..auth.authenticator import ANONYMOUS, Principal
from ..auth.keys import Scope as KeyScope
from ..auth.store import StoreUnavailable
from ..problems import (
    ProblemError,
    dependency_unavailable,
    insufficient_scope,
    response_for,
    unauthenticated,
)
from ..resources import resources_of

SCOPE_KEY = "pq.principal"
log = structlog.get_logger("pq_gateway.auth")


def is_protected(path: str) -> bool:
    return path == "/v1" or path.startswith("/v1/")


def required_scope(method: str, path: str) -> KeyScope:
    """Webhooks are admin (they send data out and hold secrets); reads read; writes write."""
    if path == "/v1/webhooks" or path.startswith("/v1/webhooks/"):
        return KeyScope.ADMIN
    return KeyScope.READ if method in ("GET", "HEAD", "OPTIONS") else KeyScope.WRITE


def caller_identity(scope: Scope) -> str:
    """Whose quota and idempotency keys these are: the API key, else the client address."""
    principal: Principal | None = scope.get(SCOPE_KEY)
    if principal is not None and principal.key_id is not None:
        return f"key:{principal.key_id}"
    client = scope.get("client")
    return f"ip:{client[0] if client else 'unknown'}"


def presented_key(scope: Scope) -> str | None:
    """The key from `Authorization: Bearer` (preferred) or `X-API-Key`; "" when malformed."""
    api_key: str | None = None
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" else ""
        if name == b"x-api-key":
            api_key = value.decode("latin-1").strip()
    return api_key


class ApiKeyAuthMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_protected(scope["path"]):
            await self.app(scope, receive, send)
            return
        resources = resources_of(scope)
        if resources.settings.auth_disabled:
            scope[SCOPE_KEY] = ANONYMOUS
            await self.app(scope, receive, send)
            return
        try:
            principal = await self._principal(scope)
            needed = required_scope(scope["method"], scope["path"])
            if not principal.allows(needed):
                resources.metrics.auth_failures.labels("insufficient_scope").inc()
                raise insufficient_scope(needed.value)
        except ProblemError as problem:
            await response_for(problem, scope["path"])(scope, receive, send)
            return
        scope[SCOPE_KEY] = principal
        await self.app(scope, receive, send)

    async def _principal(self, scope: Scope) -> Principal:
        resources = resources_of(scope)
        key = presented_key(scope)
        if not key:
            resources.metrics.auth_failures.labels("missing" if key is None else "malformed").inc()
            detail = "send an API key as `Authorization: Bearer <key>` or `X-API-Key`"
            raise unauthenticated(detail, invalid_token=key is not None)
        try:
            principal = await resources.authenticator.authenticate(key)
        except StoreUnavailable as exc:
            log.warning("api key store unavailable", error=str(exc))
            raise dependency_unavailable("Key store", "API keys cannot be checked now") from exc
        if principal is None:
            resources.metrics.auth_failures.labels("invalid").inc()
            raise unauthenticated("the API key is unknown or revoked", invalid_token=True)
        return principal
