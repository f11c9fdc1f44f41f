"""The parallel run's units of work (tests/support/parallel_groups.py): whole-stack modules
share one unit, every other module is a unit of its own."""

from __future__ import annotations

from tests.support.parallel_groups import STACK_UNIT, in_stack_suites, module_of


def scope(nodeid: str) -> str:
    return STACK_UNIT if in_stack_suites(nodeid) else module_of(nodeid)


def test_whole_stack_modules_share_one_unit() -> None:
    for nodeid in (
        "tests/e2e/test_stack.py::test_health",
        "tests/e2e/sdk/test_cli.py::test_bars[csv]",
        "tests/resilience/cluster/test_cluster_faults.py::test_cluster_faults_lose_and_double_nothing",
        "tests/browser/test_chart_page.py::test_candles",
        "tests/security/test_bus_secrets.py::test_a_consumer_reads_no_bucket[PQ_API_KEYS]",
        "tests/security/test_gateway_attacks.py::test_floods",
    ):
        assert scope(nodeid) == STACK_UNIT, nodeid


def test_other_modules_are_units_of_their_own() -> None:
    assert (
        scope("tests/unit/domain/test_symbol.py::test_x[a]") == "tests/unit/domain/test_symbol.py"
    )
    assert scope("tests/security/test_gateway_inputs.py::test_y") == (
        "tests/security/test_gateway_inputs.py"
    )
    assert scope("tests/integration/query/test_page_cache.py::test_z") == (
        "tests/integration/query/test_page_cache.py"
    )
