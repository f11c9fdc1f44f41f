"""How `pytest -n N` (pytest-xdist, `--dist loadgroup`) shares the suite among workers.

Each module is one unit of work, kept on one worker, so its module- and package-scoped
fixtures start once. Every module that starts a whole stack (`pq up`: nats-server, Redis,
the simulator, five services) or a NATS cluster joins one group, run by one worker, one
module at a time: two stacks at once on a 2-core machine starve each other's real-time
flows, and these tests measure real time (quotes at 60-480x, outage windows). The other
workers run everything else beside it. Those modules are also marked `slow`
(`make test-fast` leaves them out).
"""

from __future__ import annotations

import pytest

STACK_GROUP = "whole-stack"
# Fixtures that start a whole stack or a cluster (tests/*/conftest.py).
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
# Suites whose modules start stacks in their own module fixtures.
STACK_SUITES = (
    "tests/e2e/",
    "tests/resilience/",
    "tests/browser/",
    "tests/integration/launcher/",
    "tests/security/test_gateway_attacks.py",
)


def starts_a_stack(item: pytest.Item) -> bool:
    path = item.nodeid.split("::", 1)[0]
    return path.startswith(STACK_SUITES) or not STACK_FIXTURES.isdisjoint(
        getattr(item, "fixturenames", ())
    )


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        if starts_a_stack(item):
            # Tens of seconds to start before the first assertion: slow, honestly.
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.xdist_group(STACK_GROUP))
        else:
            item.add_marker(pytest.mark.xdist_group(module))
