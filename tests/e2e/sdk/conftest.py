"""One stack for the SDK's tests, started as a user starts it (`pq up`), with nothing synced.

Its data folder is `<tmp>/.pq`, so `pocketquant.Client()` run from `<tmp>` finds it as it
finds a `make up` stack. The simulator replays a recent past trading day at 120x, so
quotes flow and 1m bars complete every half second for the streaming tests; failed
authentications are limited to 5 per 10 s so the 429 path is quick to reach.

`gateway_capabilities` tells which of the REST additions of issue 15 (bulk export, job
listing, coverage) this gateway has: the SDK degrades without them, and the tests assert
the full behaviour where the gateway offers it and the fallback where it does not.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

import pocketquant
from tests.support.live_flow import live_overrides
from tests.support.stack_runner import E2eStack, start_stack

ARROW = "application/vnd.apache.arrow.stream"


@pytest.fixture(scope="package")
def sdk_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2eStack]:
    overrides = live_overrides(120.0, timedelta(hours=3), PQ_RATE_LIMIT_AUTH_FAILURES="5/10")
    stack = start_stack(tmp_path_factory.mktemp("sdk") / ".pq", ready_timeout=300.0, **overrides)
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="package")
def user_env(sdk_stack: E2eStack) -> dict[str, str]:
    """A user's shell beside the stack: no PQ_* variable at all."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PQ_")}


@pytest.fixture(scope="package")
def user_dir(sdk_stack: E2eStack) -> Path:
    """The folder holding the stack's `.pq` (where a user runs `make up`)."""
    return sdk_stack.data_dir.parent


@pytest.fixture
def client(sdk_stack: E2eStack) -> Iterator[pocketquant.Client]:
    with pocketquant.Client(sdk_stack.gateway_url, sdk_stack.api_key) as sdk_client:
        yield sdk_client


@pytest.fixture(scope="package")
def gateway_http(sdk_stack: E2eStack) -> Iterator[httpx.Client]:
    """Plain HTTP on the gateway (the reference the SDK's answers are compared with)."""
    with httpx.Client(
        base_url=sdk_stack.gateway_url, headers=sdk_stack.auth_headers(), timeout=30
    ) as http:
        yield http


@dataclass(frozen=True)
class GatewayCapabilities:
    arrow_export: bool
    job_listing: bool


@pytest.fixture(scope="package")
def gateway_capabilities(gateway_http: httpx.Client) -> GatewayCapabilities:
    params = {"symbol": "NASDAQ:NVDA", "interval": "1d"}  # synced by the one-liner
    export = gateway_http.get("/v1/bars", params=params, headers={"Accept": ARROW})
    listing = gateway_http.get("/v1/sync", params={"limit": 1})
    return GatewayCapabilities(
        arrow_export=export.headers.get("content-type", "").startswith(ARROW),
        job_listing=listing.status_code == 200,
    )


class RequestLog:
    """What an SDK client sent and got, through an httpx event hook."""

    def __init__(self) -> None:
        self.exchanges: list[tuple[str, str, int, str]] = []

    def hook(self, response: httpx.Response) -> None:
        request = response.request
        media = response.headers.get("content-type", "").split(";")[0]
        self.exchanges.append((request.method, request.url.path, response.status_code, media))

    def sent(self, method: str, path: str) -> list[tuple[str, str, int, str]]:
        return [e for e in self.exchanges if e[0] == method and e[1] == path]


@pytest.fixture
def logged_client(sdk_stack: E2eStack) -> Iterator[tuple[pocketquant.Client, RequestLog]]:
    log = RequestLog()
    with httpx.Client(timeout=30, event_hooks={"response": [log.hook]}) as http:
        yield pocketquant.Client(sdk_stack.gateway_url, sdk_stack.api_key, http=http), log
