"""API keys on every /v1 route: 401 without a valid key, 403 without the route's scope.

Keys come as `Authorization: Bearer <key>` or `X-API-Key: <key>`. The required scope
follows from the method and path (below), so an unknown /v1 path answers 401 to a
stranger rather than revealing which routes exist. The caller's Principal is put in the
scope for the rate limiter, idempotency and routes (`SCOPE_KEY`). With rate limits on,
failed authentications are limited per client address (ratelimit/auth_failures.py); the
budget only ever refuses requests whose key is missing or wrong, so one client guessing
keys behind a shared address (an Ingress, a NAT) never locks out a valid key.
"""

from __future__ import annotations

import structlog
from redis.exceptions import RedisError
from starlette.types import ASGIApp, Receive, Scope, Send

from ..api.problems import (
    ProblemError,
    dependency_unavailable,
    insufficient_scope,
    response_for,
    unauthenticated,
)
from ..edge.http_middleware import HttpMiddleware
from ..log_throttle import LogThrottle
from ..ratelimit.gcra import RateDecision
from ..ratelimit.refusal import rate_limited
from ..resources import GatewayResources, resources_of
from .authenticator import ANONYMOUS, Principal
from .client_address import client_address
from .keys import Scope as KeyScope
from .store import StoreUnavailable

SCOPE_KEY = "pq.principal"
log = structlog.get_logger("pq_gateway.auth")
_WARN_EVERY_S = 10.0


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
    return f"ip:{client_address(scope, resources_of(scope).settings.trusted_proxies)}"


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


class ProtectedRoutesMiddleware(HttpMiddleware):
    """Acts on the /v1 routes only."""

    def applies_to(self, scope: Scope) -> bool:
        return is_protected(scope["path"])


class ApiKeyAuthMiddleware(ProtectedRoutesMiddleware):
    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self._redis_warnings = LogThrottle(_WARN_EVERY_S)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        resources = resources_of(scope)
        if resources.settings.auth_disabled:
            scope[SCOPE_KEY] = ANONYMOUS
            await self.app(scope, receive, send)
            return
        try:
            principal = await self._principal(scope, resources)
            needed = required_scope(scope["method"], scope["path"])
            if not principal.allows(needed):
                resources.metrics.auth_failures.labels("insufficient_scope").inc()
                raise insufficient_scope(needed.value)
        except ProblemError as problem:
            await response_for(problem, scope["path"])(scope, receive, send)
            return
        scope[SCOPE_KEY] = principal
        await self.app(scope, receive, send)

    async def _principal(self, scope: Scope, resources: GatewayResources) -> Principal:
        key = presented_key(scope)
        if not key:
            resources.metrics.auth_failures.labels("missing" if key is None else "malformed").inc()
            detail = "send an API key as `Authorization: Bearer <key>` or `X-API-Key`"
            problem = unauthenticated(detail, invalid_token=key is not None)
            if key is None:  # no key guesses nothing: not a failure to count
                raise problem
            raise await self._refused(scope, resources, problem)
        # The key first, whatever the address's failure budget: a valid key always passes.
        try:
            principal = await resources.authenticator.authenticate(key)
        except StoreUnavailable as exc:
            log.warning("api key store unavailable", error=str(exc))
            raise dependency_unavailable("Key store", "API keys cannot be checked now") from exc
        if principal is None:
            resources.metrics.auth_failures.labels("invalid").inc()
            problem = unauthenticated("the API key is unknown or revoked", invalid_token=True)
            raise await self._refused(scope, resources, problem)
        return principal

    async def _refused(
        self, scope: Scope, resources: GatewayResources, problem: ProblemError
    ) -> ProblemError:
        """`problem` with the address's remaining failure budget, or 429 once it is spent
        (a locked-out address costs no Redis round trip until its Retry-After)."""
        if not resources.settings.rate_limits_enabled:
            return problem
        address = client_address(scope, resources.settings.trusted_proxies)
        locked = resources.auth_failures.locked_out(address)
        if locked is not None:
            resources.metrics.rate_limited.labels("auth_failures").inc()
            return _too_many_failures(locked)
        try:
            decision = await resources.auth_failures.record_failure(address)
        except (RedisError, OSError) as exc:
            resources.metrics.rate_limit_errors.inc()
            counted = resources.settings.count_auth_failures_locally
            self._warn(exc, counted)
            if not counted:  # fail open (development): uncounted, the answer stays the 401
                return problem
            decision = resources.auth_failures.record_failure_locally(address)
        if not decision.allowed:
            resources.metrics.rate_limited.labels("auth_failures").inc()
            return _too_many_failures(decision)
        problem.headers.update((k.decode(), v.decode()) for k, v in decision.headers())
        return problem

    def _warn(self, exc: BaseException, counted: bool) -> None:
        if self._redis_warnings.due():  # one line per 10 s, not per request
            how = "counted in this process" if counted else "uncounted"
            log.warning(f"failed authentications {how}: Redis unreachable", error=repr(exc))


def _too_many_failures(decision: RateDecision) -> ProblemError:
    return rate_limited(
        decision,
        f"too many failed authentications from this address; retry in {decision.retry_after_s} s",
    )
