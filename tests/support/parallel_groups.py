"""How `pytest -n N --dist loadscope` (pytest-xdist) shares the suite among workers.

Each module is one unit of work, kept on one worker, so its module- and package-scoped
fixtures start once. Every module that starts a whole stack (`pq up`: nats-server, Redis,
the simulator, five services) or a NATS cluster joins one unit instead, run by one
worker one module at a time: two stacks at once on a 2-core machine starve each other's
real-time flows, and these tests measure real time (quotes at 60-480x, outage windows).
The other workers run everything else beside it. Those modules are also marked `slow`
(`make test-fast` leaves them out).

The controller knows a test only by its node id, so the whole-stack modules are named
by path (STACK_SUITES); a test that asks for a stack fixture from a module the patterns
miss stops the run, naming the pattern to add. (xdist's own `loadgroup` marks cannot
carry this: with pytest 9.2 the group suffix it writes into node ids is lost.)
"""

from __future__ import annotations

from fnmatch import fnmatch

import pytest
from xdist.remote import Producer
from xdist.scheduler import LoadScopeScheduling

STACK_UNIT = "whole-stack"
STACK_SUITES = (
    "tests/e2e/*",
    "tests/resilience/*",
    "tests/browser/*",
    "tests/integration/launcher/*",
    "tests/security/test_bus_*.py",
    "tests/security/test_gateway_attacks.py",
)
# Fixtures that start a whole stack or a cluster (tests/*/conftest.py, tests/support).
STACK_FIXTURES = frozenset(
    {
        "running_stack",
        "ui_stack",
        "sdk_stack",
        "live_stack_factory",
        "cluster_stack_factory",
        "pq_up",
        "session_run",
        "bus_stack",
    }
)


def module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def in_stack_suites(nodeid: str) -> bool:
    path = module_of(nodeid)
    return any(fnmatch(path, pattern) for pattern in STACK_SUITES)


class StackAwareScheduling(LoadScopeScheduling):  # type: ignore[misc]  # xdist is untyped
    """loadscope with modules as scopes and every whole-stack module in one scope."""

    def _split_scope(self, nodeid: str) -> str:
        return STACK_UNIT if in_stack_suites(nodeid) else module_of(nodeid)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> LoadScopeScheduling | None:
    if config.getvalue("dist") != "loadscope":
        return None
    return StackAwareScheduling(config, log)


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        uses_stack = not STACK_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))
        if uses_stack and not in_stack_suites(item.nodeid):
            raise pytest.UsageError(
                f"{module_of(item.nodeid)} starts a whole stack: add it to STACK_SUITES "
                "in tests/support/parallel_groups.py"
            )
        if in_stack_suites(item.nodeid):
            # Tens of seconds to start before the first assertion: slow, honestly.
            item.add_marker(pytest.mark.slow)
