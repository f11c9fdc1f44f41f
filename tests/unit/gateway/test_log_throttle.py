"""A failure that repeats on every request (Redis down) is logged once per interval."""

from __future__ import annotations

from pq_gateway.log_throttle import LogThrottle


def test_the_first_failure_is_logged_and_repeats_within_the_interval_are_not() -> None:
    throttle = LogThrottle(every_s=3600.0)
    assert [throttle.due() for _ in range(5)] == [True, False, False, False, False]


def test_a_zero_interval_logs_every_time() -> None:
    throttle = LogThrottle(every_s=0.0)
    assert all(throttle.due() for _ in range(3))
