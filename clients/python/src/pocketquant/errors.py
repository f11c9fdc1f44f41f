"""Typed errors: every RFC 9457 problem document the gateway answers becomes one of these.

try:
    client.bars("NASDAQ", "1d")
except pocketquant.Invalid as error:
    print(error.field)          # "query.symbol"
except pocketquant.PocketQuantError as error:
    print(error.status, error)  # anything else the gateway refused
"""

from __future__ import annotations

from typing import Any


class PocketQuantError(Exception):
    """Base of every SDK error; `status` is the HTTP status (0 when no answer came)."""

    def __init__(
        self,
        detail: str,
        *,
        status: int = 0,
        title: str | None = None,
        type: str = "about:blank",
        instance: str | None = None,
        correlation_id: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.title = title
        self.type = type
        self.instance = instance
        self.correlation_id = correlation_id


class Invalid(PocketQuantError):
    """400/422: the request named something wrong; `field` is the first field at fault
    (e.g. `query.symbol`), `errors` all of them as `{"field", "message"}`."""

    def __init__(self, detail: str, *, errors: list[dict[str, str]], **kw: Any) -> None:
        super().__init__(detail, **kw)
        self.errors = errors
        self.field: str | None = errors[0].get("field") if errors else None


class Unauthorized(PocketQuantError):
    """401: no API key, or one the gateway does not know (set `PQ_API_KEY`)."""


class Forbidden(PocketQuantError):
    """403: the API key lacks the scope this call needs."""


class NotFound(PocketQuantError):
    """404: no such job, quote, symbol or watchlist entry."""


class Conflict(PocketQuantError):
    """409: e.g. an Idempotency-Key reused for a different request."""


class RateLimited(PocketQuantError):
    """429 after the SDK's own retries; `retry_after` is the server's hint in seconds."""

    def __init__(self, detail: str, *, retry_after: float | None, **kw: Any) -> None:
        super().__init__(detail, **kw)
        self.retry_after = retry_after


class Unavailable(PocketQuantError):
    """503 after the SDK's retries: a dependency of the gateway is down."""

    def __init__(self, detail: str, *, retry_after: float | None, **kw: Any) -> None:
        super().__init__(detail, **kw)
        self.retry_after = retry_after


class ServerError(PocketQuantError):
    """Any other 5xx."""


class ConnectionFailed(PocketQuantError):
    """The gateway did not answer at all (is the stack running? is PQ_URL right?)."""


class NotSupported(PocketQuantError):
    """The gateway predates this call (it answered 404/405 for the route itself)."""


class SyncFailed(PocketQuantError):
    """A sync job ended `failed`; `job` is its final state, `detail` the job's error."""

    def __init__(self, detail: str, *, job: Any, **kw: Any) -> None:
        super().__init__(detail, **kw)
        self.job = job


_BY_STATUS: dict[int, type[PocketQuantError]] = {
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
}


def problem_error(
    status: int,
    body: dict[str, Any],
    *,
    retry_after: float | None = None,
    correlation_id: str | None = None,
) -> PocketQuantError:
    """The typed error for a problem document (`body` may be `{}` for a non-JSON answer)."""
    detail = str(body.get("detail") or body.get("title") or f"HTTP {status}")
    common: dict[str, Any] = {
        "status": status,
        "title": body.get("title"),
        "type": str(body.get("type") or "about:blank"),
        "instance": body.get("instance"),
        "correlation_id": correlation_id,
    }
    if status in (400, 422):
        raw = body.get("errors")
        errors = [e for e in raw if isinstance(e, dict)] if isinstance(raw, list) else []
        return Invalid(detail, errors=errors, **common)
    if status == 429:
        return RateLimited(detail, retry_after=retry_after, **common)
    if status == 503:
        return Unavailable(detail, retry_after=retry_after, **common)
    if status in _BY_STATUS:
        return _BY_STATUS[status](detail, **common)
    if status >= 500:
        return ServerError(detail, **common)
    return PocketQuantError(detail, **common)
