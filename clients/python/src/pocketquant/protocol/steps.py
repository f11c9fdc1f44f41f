"""Sans-I/O flows: what to send and how to read the answers, written once.

A flow is a generator that yields `httpx.Request`s (and `Sleep`s) and is sent back the
`httpx.Response`s (None after a sleep). `Client` drives flows with blocking I/O and
`AsyncClient` with asyncio, so paging, retries, job polling and the `sync="auto"` logic
exist once for both.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from ..errors import PocketQuantError, problem_error

T = TypeVar("T")


@dataclass(frozen=True)
class Sleep:
    seconds: float


Step = httpx.Request | Sleep
Flow = Generator[Step, httpx.Response | None, T]

RETRIED_STATUSES = (429, 503)


@dataclass(frozen=True)
class RetryPolicy:
    """429 and 503 are retried `max_retries` times, waiting what Retry-After says (or an
    exponential backoff without one); a wait above `max_wait_s` is not waited for."""

    max_retries: int = 3
    backoff_s: float = 0.5
    max_wait_s: float = 30.0

    def delay(self, response: httpx.Response, attempt: int) -> float | None:
        if response.status_code not in RETRIED_STATUSES or attempt >= self.max_retries:
            return None
        hinted = retry_after(response)
        wait = hinted if hinted is not None else self.backoff_s * 2**attempt
        return wait if wait <= self.max_wait_s else None


def retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds (delta-seconds or an HTTP date), None when absent or bad."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def send(request: httpx.Request, policy: RetryPolicy) -> Flow[httpx.Response]:
    """Send with retries; any answer of 400 or above raises its typed error."""
    attempt = 0
    while True:
        response = yield request
        assert response is not None
        if response.status_code < 400:
            return response
        wait = policy.delay(response, attempt)
        if wait is None:
            raise error_for(response)
        attempt += 1
        yield Sleep(wait)


def send_raw(request: httpx.Request, policy: RetryPolicy) -> Flow[httpx.Response]:
    """As `send`, but 4xx answers other than 429 come back for the caller to read."""
    attempt = 0
    while True:
        response = yield request
        assert response is not None
        wait = policy.delay(response, attempt)
        if wait is None:
            if response.status_code >= 500 or response.status_code == 429:
                raise error_for(response)
            return response
        attempt += 1
        yield Sleep(wait)


def error_for(response: httpx.Response) -> PocketQuantError:
    body: dict[str, Any] = {}
    if response.headers.get("content-type", "").split(";")[0].endswith("json"):
        try:
            parsed = response.json()
        except ValueError:
            parsed = None
        body = parsed if isinstance(parsed, dict) else {}
    return problem_error(
        response.status_code,
        body,
        retry_after=retry_after(response),
        correlation_id=response.headers.get("x-correlation-id"),
    )


def json_body(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    if not isinstance(body, dict):
        raise PocketQuantError(f"expected a JSON object, got {type(body).__name__}")
    return body
