from __future__ import annotations

import pytest

from pq_domain import Interval, Symbol
from pq_domain.schedule import InvalidSchedule, Schedule, schedule_key


def brk(next_due_ms: int = 10_000, every_s: float = 60.0) -> Schedule:
    return Schedule(Symbol.parse("NYSE:BRK.B"), Interval.H1, every_s, 100, next_due_ms)


def test_key_is_the_escaped_symbol_tokens_and_the_interval() -> None:
    assert brk().key == "NYSE.BRK~2EB.1h"
    assert schedule_key(Symbol.parse("CME_MINI:ES1!"), Interval.MN1) == "CME_MINI.ES1!.1M"


def test_job_id_is_deterministic_per_period() -> None:
    assert brk(10_000).job_id() == brk(10_000).job_id() == "sched-NYSE.BRK~2EB.1h-10000"
    assert brk(10_000).job_id() != brk(70_000).job_id()
    command = brk().command()
    assert (command.bars, command.interval, str(command.symbol)) == (100, Interval.H1, "NYSE:BRK.B")
    assert command.event_id == f"sync-requested:{brk().job_id()}"


def test_due_from_next_due_ms_on() -> None:
    assert not brk(10_000).is_due(9_999)
    assert brk(10_000).is_due(10_000)


def test_firing_moves_to_the_next_grid_point_skipping_missed_periods() -> None:
    assert brk(10_000).after_firing(10_000).next_due_ms == 70_000
    assert brk(10_000).after_firing(10_500).next_due_ms == 70_000
    assert brk(10_000).after_firing(200_000).next_due_ms == 250_000  # 3 missed, not a burst


def test_payload_round_trip_and_missing_due_means_now() -> None:
    payload = brk().to_payload()
    assert payload == {
        "symbol": "NYSE:BRK.B",
        "interval": "1h",
        "every_s": 60.0,
        "bars": 100,
        "next_due_ms": 10_000,
    }
    assert Schedule.from_payload(payload, now_ms=0) == brk()
    del payload["next_due_ms"]
    assert Schedule.from_payload(payload, now_ms=42).next_due_ms == 42


@pytest.mark.parametrize(
    "change",
    [{"every_s": 0}, {"bars": 0}, {"bars": 20_001}, {"interval": "2h"}, {"symbol": "NOCOLON"}],
)
def test_invalid_values_are_rejected(change: dict[str, object]) -> None:
    with pytest.raises(InvalidSchedule):
        Schedule.from_payload({**brk().to_payload(), **change}, now_ms=0)
