"""The parallel run's units of work (tests/support/parallel_groups.py): the whole-stack
modules form three units (faults, real time, request and answer), handed out before the
rest; every other module is a unit of its own."""

from __future__ import annotations

from collections import OrderedDict

from tests.support.parallel_groups import (
    REALTIME_UNIT,
    RESILIENCE_UNIT,
    STACK_UNIT,
    stack_units_first,
    unit_of,
)


def test_e2e_suites_that_measure_real_time_share_one_unit() -> None:
    for nodeid in (
        "tests/e2e/test_session_buckets.py::test_live_bars_equal_synced_bars_bar_for_bar",
        "tests/e2e/test_realtime.py::test_nothing_is_stored_twice",
        "tests/e2e/test_sse.py::test_quotes_arrive_for_the_requested_symbols_only",
    ):
        assert unit_of(nodeid) == REALTIME_UNIT, nodeid


def test_fault_suites_share_another_unit() -> None:
    for nodeid in (
        "tests/resilience/cluster/test_cluster_faults.py::test_cluster_faults_lose_and_double_nothing",
        "tests/resilience/test_realtime_chaos.py::test_live_bars_stay_exact",
        "tests/resilience/test_service_faults.py::test_every_fault_in_turn",
    ):
        assert unit_of(nodeid) == RESILIENCE_UNIT, nodeid


def test_other_whole_stack_modules_share_the_other_unit() -> None:
    for nodeid in (
        "tests/e2e/test_stack.py::test_health",
        "tests/e2e/sdk/test_cli.py::test_bars[csv]",
        "tests/browser/test_chart_page.py::test_candles",
        "tests/integration/launcher/test_pq_up_cluster.py::test_three_nodes",
        "tests/security/test_bus_secrets.py::test_a_consumer_reads_no_bucket[PQ_API_KEYS]",
        "tests/security/test_gateway_attacks.py::test_floods",
    ):
        assert unit_of(nodeid) == STACK_UNIT, nodeid


def test_other_modules_are_units_of_their_own() -> None:
    for nodeid in (
        "tests/unit/domain/test_symbol.py::test_x[a]",
        "tests/security/test_gateway_inputs.py::test_y",
        "tests/integration/query/test_page_cache.py::test_z",
    ):
        assert unit_of(nodeid) == nodeid.split("::")[0]


def test_workers_take_the_stack_units_first_longest_first() -> None:
    queue = OrderedDict.fromkeys(["tests/unit/a.py", STACK_UNIT, "tests/unit/b.py"], 0)
    queue[REALTIME_UNIT] = 0
    queue[RESILIENCE_UNIT] = 0
    stack_units_first(queue)
    expected = [RESILIENCE_UNIT, REALTIME_UNIT, STACK_UNIT, "tests/unit/a.py", "tests/unit/b.py"]
    assert list(queue) == expected
    stack_units_first(queue)  # again, as on every hand-out: the order stays
    assert list(queue) == expected

    del queue[RESILIENCE_UNIT]  # handed out: the others keep their order
    stack_units_first(queue)
    assert list(queue)[:2] == [REALTIME_UNIT, STACK_UNIT]

    rest = OrderedDict.fromkeys(["tests/unit/a.py", "tests/unit/b.py"], 0)
    stack_units_first(rest)  # both already handed out
    assert list(rest) == ["tests/unit/a.py", "tests/unit/b.py"]
