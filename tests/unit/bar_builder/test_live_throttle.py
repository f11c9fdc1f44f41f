from __future__ import annotations

import itertools

from pq_bar_builder.model.live_throttle import LiveBarThrottle


def test_first_change_goes_at_once_then_one_per_window() -> None:
    t: LiveBarThrottle[str] = LiveBarThrottle(250)
    assert t.changed(["A", "B"], 1_000) == ["A", "B"]
    assert t.changed(["A"], 1_100) == []  # inside A's window: held back
    assert t.due(1_200) == []
    assert t.due(1_250) == ["A"]  # the trailing edge: the last state is not lost
    assert t.due(1_300) == []


def test_a_burst_publishes_at_most_once_per_window() -> None:
    t: LiveBarThrottle[str] = LiveBarThrottle(250)
    sent = []
    for now in range(0, 1_000, 10):  # a change every 10 ms for one second
        sent += [now for _ in t.changed(["A"], now)]
        sent += [now for _ in t.due(now)]
    assert len(sent) == 4
    assert all(b - a >= 250 for a, b in itertools.pairwise(sent))


def test_forget_drops_waiting_keys() -> None:
    t: LiveBarThrottle[str] = LiveBarThrottle(250)
    t.changed(["A"], 0)
    t.changed(["A"], 10)
    t.forget(["A"])
    assert t.due(1_000) == []
    assert t.changed(["A"], 1_001) == ["A"]
