"""How `pytest -n N --dist loadscope` (pytest-xdist) shares the suite among workers.

Each module is one unit of work, kept on one worker, so its module- and package-scoped
fixtures start once. The modules that start a whole stack (`pq up`: nats-server, Redis, the
simulator, five services) or a NATS cluster form three units instead, each run by one worker
one module at a time, and handed out before everything else, longest first:
- RESILIENCE: tests/resilience, faults under a live flow (kills, restarts, a cluster);
- REALTIME: the e2e suites that measure real time (quotes at 120-480x, lateness, SSE);
- STACK: the other whole-stack suites, request and answer at human pace (e2e reads, the
  SDK, the browser, bus and gateway security, `pq up`).
At most two real-time stacks run at once. `make test` runs one worker more than the machine
has cores, so on 2 cores each unit has a worker from the start: the real-time suites spend
much of their time waiting on the simulator's clock, and the third worker fills the idle
CPU (the whole run: 712 s with 2 workers and two stack units, 580 s with 3 and these three).
The workers take the rest when their stack unit is done. Those modules are also marked
`slow` (`make test-fast` leaves them out).

The controller knows a test only by its node id, so the whole-stack modules are named
by path; a test that asks for a stack fixture from a module the patterns miss stops the
run, naming the pattern to add. (xdist's own `loadgroup` marks cannot carry this: with
pytest 9.2 the group suffix it writes into node ids is lost.)
"""

from __future__ import annotations

from collections import OrderedDict
from fnmatch import fnmatch
from typing import TypeVar

import pytest
from xdist.remote import Producer
from xdist.scheduler import LoadScopeScheduling
from xdist.workermanage import WorkerController

T = TypeVar("T")

RESILIENCE_UNIT = "whole-stack: faults"
REALTIME_UNIT = "whole-stack: real time"
STACK_UNIT = "whole-stack: request and answer"
RESILIENCE_SUITES = ("tests/resilience/*",)
REALTIME_SUITES = (
    "tests/e2e/test_session_buckets.py",
    "tests/e2e/test_realtime.py",
    "tests/e2e/test_sse.py",
)
STACK_SUITES = (
    "tests/e2e/*",
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


# Longest first; the first matching patterns name a test's unit.
_UNIT_PATTERNS = (
    (RESILIENCE_UNIT, RESILIENCE_SUITES),
    (REALTIME_UNIT, REALTIME_SUITES),
    (STACK_UNIT, STACK_SUITES),
)
STACK_UNITS = tuple(unit for unit, _ in _UNIT_PATTERNS)


def module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def _matches(nodeid: str, patterns: tuple[str, ...]) -> bool:
    path = module_of(nodeid)
    return any(fnmatch(path, pattern) for pattern in patterns)


def in_stack_suites(nodeid: str) -> bool:
    return unit_of(nodeid) in STACK_UNITS


def unit_of(nodeid: str) -> str:
    """The unit of work a test belongs to."""
    for unit, patterns in _UNIT_PATTERNS:
        if _matches(nodeid, patterns):
            return unit
    return module_of(nodeid)


def stack_units_first(queue: OrderedDict[str, T]) -> None:
    """Puts the stack units at the head of a work queue, longest first, so that workers
    start them before anything else."""
    for unit in reversed(STACK_UNITS):
        if unit in queue:
            queue.move_to_end(unit, last=False)


class StackAwareScheduling(LoadScopeScheduling):  # type: ignore[misc]  # xdist is untyped
    """loadscope with modules as units, the whole-stack modules in three, those first."""

    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)

    def _assign_work_unit(self, node: WorkerController) -> None:
        stack_units_first(self.workqueue)
        super()._assign_work_unit(node)


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
                f"{module_of(item.nodeid)} starts a whole stack: add it to RESILIENCE_SUITES, "
                "REALTIME_SUITES or STACK_SUITES in tests/support/parallel_groups.py"
            )
        if in_stack_suites(item.nodeid):
            # Tens of seconds to start before the first assertion: slow, honestly.
            item.add_marker(pytest.mark.slow)
