"""The open-loop schedule and runner, on a fake clock: rates, bounds, coordinated omission."""

from __future__ import annotations

import pytest
from pq_loadgen import LoadPlan, RequestKind, RequestMix, run_load
from pq_loadgen.mix import Request

from tests.unit.loadgen.fake_clock import FakeClock


def _mix() -> RequestMix:
    return RequestMix([RequestKind("bars", 6), RequestKind("quote", 3), RequestKind("health", 1)])


async def _ok(_: Request) -> int:
    return 200


async def test_sends_rate_times_duration_at_exact_intervals() -> None:
    clock = FakeClock()
    result = await run_load(LoadPlan(rate_per_s=200, duration_s=2), _mix(), _ok, clock=clock)
    assert result.sent == 400
    assert result.completed == 400
    assert result.achieved_rate_per_s == pytest.approx(200.0)
    gaps = {round(b - a, 9) for a, b in zip(clock.sleeps, clock.sleeps[1:], strict=False)}
    assert gaps == {0.005}
    assert clock.sleeps[-1] - clock.sleeps[0] == pytest.approx(1.995)


async def test_max_requests_bounds_the_run() -> None:
    plan = LoadPlan(rate_per_s=1000, duration_s=60, max_requests=123)
    result = await run_load(plan, _mix(), _ok, clock=FakeClock())
    assert result.sent == 123


async def test_fractional_rate_keeps_every_slot_inside_the_duration() -> None:
    plan = LoadPlan(rate_per_s=3, duration_s=1.5)  # due at 0, 1/3, 2/3, 1, 4/3
    result = await run_load(plan, _mix(), _ok, clock=FakeClock())
    assert result.sent == 5


async def test_a_stall_is_charged_to_the_requests_that_waited_for_it() -> None:
    clock = FakeClock(start=0.0)
    clock.stall(at=1.0, seconds=0.5)  # the client froze for 0.5 s at t = 1 s
    result = await run_load(LoadPlan(rate_per_s=100, duration_s=2), _mix(), _ok, clock=clock)
    assert result.sent == 200  # late slots are sent late, never skipped
    # Measured from the scheduled time, the stall shows: about 50 requests waited for it.
    # (the worst is the one in flight when the stall began: due 10 ms before it, 0.51 s)
    assert result.latency.max_s == pytest.approx(0.51, abs=1e-6)
    assert result.latency.percentile(50) <= 0.0101  # the unstalled majority: one tick
    assert result.latency.percentile(90) > 0.2  # a closed loop would have hidden these
    assert result.max_schedule_lag_s == pytest.approx(0.5, abs=1e-6)


async def test_errors_are_counted_by_status_and_exception_without_stopping() -> None:
    statuses = iter([200, 503, 429, 200])

    async def flaky(_: Request) -> int:
        status = next(statuses, None)
        if status is None:
            raise TimeoutError("no answer")
        return status

    plan = LoadPlan(rate_per_s=10, duration_s=1)
    result = await run_load(plan, _mix(), flaky, clock=FakeClock())
    assert (result.sent, result.completed, result.ok) == (10, 4, 2)
    assert dict(result.errors_by_status) == {"503": 1, "429": 1}
    assert dict(result.errors_by_exception) == {"TimeoutError": 6}
    assert result.errors == 8


async def test_the_mix_follows_its_weights() -> None:
    plan = LoadPlan(rate_per_s=1000, duration_s=10)
    result = await run_load(plan, _mix(), _ok, clock=FakeClock())
    shares = {k: v / result.sent for k, v in result.sent_by_kind.items()}
    assert shares == pytest.approx({"bars": 0.6, "quote": 0.3, "health": 0.1}, abs=0.02)


@pytest.mark.parametrize(
    ("rate", "duration", "max_requests"),
    [(0, 1, None), (-1, 1, None), (float("nan"), 1, None), (1, 0, None), (1, 1, 0)],
)
def test_plan_refuses_nonsense(rate: float, duration: float, max_requests: int | None) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each field has its own message
        LoadPlan(rate_per_s=rate, duration_s=duration, max_requests=max_requests)
