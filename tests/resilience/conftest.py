"""Resilience tests: a whole `pq up` stack per module, hurt on purpose (`@pytest.mark.slow`).

`live_stack_factory(name, **env)` starts a stack on free ports with the given environment
overrides and stops it (Ctrl-C, no process left) after the module. A failing test gets the
tail of each of that stack's logs in its report.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator

import pytest

from tests.support.live_flow import LiveStackFactory
from tests.support.stack_runner import E2eStack, start_stack

_running: list[E2eStack] = []


@pytest.fixture(scope="module")
def live_stack_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStackFactory]:
    started: list[E2eStack] = []

    def start(name: str, **overrides: str) -> E2eStack:
        stack = start_stack(tmp_path_factory.mktemp(name) / "pq", ready_timeout=150.0, **overrides)
        started.append(stack)
        _running.append(stack)
        return stack

    try:
        yield start
    finally:
        for stack in started:
            _running.remove(stack)
            stack.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed:
        for stack in _running:
            report.sections.append((f"stack logs {stack.data_dir}", stack.logs(lines=40)))
    return report
