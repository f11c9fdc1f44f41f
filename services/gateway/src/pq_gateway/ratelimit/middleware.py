"""Rate limits on /v1 routes, per API key (client IP when anonymous) and route class.

Every answer carries `RateLimit-Policy` and `RateLimit`; a limited request gets a 429
problem with `Retry-After`. Redis unreachable: fail open (default; a throttled warning
and `pq_gateway_rate_limit_errors_total`) or, with PQ_RATE_LIMIT_FAIL_CLOSED, 503.
"""

from __future__ import annotations

import structlog
from redis.exceptions import RedisError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..api.problems import dependency_unavailable, response_for
from ..auth.middleware import ProtectedRoutesMiddleware, caller_identity
from ..log_throttle import LogThrottle
from ..resources import resources_of
from .gcra import RateDecision
from .policy import route_class
from .refusal import rate_limited

log = structlog.get_logger("pq_gateway.rate_limit")
_WARN_EVERY_S = 10.0


class RateLimitMiddleware(ProtectedRoutesMiddleware):
    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self._redis_warnings = LogThrottle(_WARN_EVERY_S)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        resources = resources_of(scope)
        settings = resources.settings
        if not settings.rate_limits_enabled:
            await self.app(scope, receive, send)
            return
        cls = route_class(scope["method"], scope["path"])
        try:
            decision = await resources.rate_limiter.check(
                caller_identity(scope), cls, settings.rate_policy(cls)
            )
        except (RedisError, OSError) as exc:
            resources.metrics.rate_limit_errors.inc()
            if settings.rate_limit_fail_closed:
                problem = dependency_unavailable("Redis", "rate limits cannot be checked now")
                await response_for(problem, scope["path"])(scope, receive, send)
                return
            self._warn(exc)
            await self.app(scope, receive, send)
            return
        if not decision.allowed:
            resources.metrics.rate_limited.labels(cls).inc()
            await response_for(rate_limited(decision), scope["path"])(scope, receive, send)
            return
        await self.app(scope, receive, _with_headers(send, decision))

    def _warn(self, exc: BaseException) -> None:
        if self._redis_warnings.due():  # one line per 10 s, not per request
            log.warning("rate limits unchecked (failing open): Redis unreachable", error=repr(exc))


def _with_headers(send: Send, decision: RateDecision) -> Send:
    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", ()), *decision.headers()]
        await send(message)

    return send_with_headers
