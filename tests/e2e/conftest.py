"""The whole stack, started once per session by `pq up` on free ports, seen as a user sees it.

- `running_stack`: the started stack (endpoints, data dir, env, dev API key); stopped with
  Ctrl-C (SIGINT) at the end, asserting it exits 0 and leaves no process behind.
- `gateway_client`: an httpx client on the gateway with the dev API key, if auth is on.
- `nats_client`: a NATS connection to the stack's nats-server (JetStream subscribers).

A failing e2e test gets the tail of every `.pq/logs/*.log` in its report.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator

import httpx
import nats
import pytest
from nats.aio.client import Client

from tests.support.stack_runner import E2eStack, start_stack

_running: list[E2eStack] = []


@pytest.fixture(scope="package")
def running_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2eStack]:
    stack = start_stack(tmp_path_factory.mktemp("e2e") / "pq")
    _running.append(stack)
    try:
        yield stack
    finally:
        _running.remove(stack)
        stack.stop()


@pytest.fixture(scope="package")
def gateway_client(running_stack: E2eStack) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=running_stack.gateway_url, headers=running_stack.auth_headers(), timeout=30
    ) as client:
        yield client


@pytest.fixture
async def nats_client(running_stack: E2eStack) -> AsyncIterator[Client]:
    client = await nats.connect(running_stack.nats_url, name="e2e-tests", connect_timeout=5)
    try:
        yield client
    finally:
        await client.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed and _running:
        report.sections.append(("stack logs (tail)", _running[0].logs(lines=40)))
    return report
