"""Rate policies from settings, route classes, and the IETF draft headers."""

from __future__ import annotations

import pytest

from pq_gateway.ratelimit.gcra import RateDecision
from pq_gateway.ratelimit.policy import RateSpec, parse_rate, route_class
from pq_gateway.settings import GatewaySettings


def test_policies_parse_from_settings_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PQ_RATE_LIMIT_WRITES", "5/10")
    settings = GatewaySettings(rate_limit_reads="100/1")
    assert settings.rate_policy("writes") == RateSpec(5, 10.0)
    assert settings.rate_policy("reads") == RateSpec(100, 1.0)
    assert settings.rate_policy("streams") == RateSpec(10, 60.0)


@pytest.mark.parametrize("text", ["", "0/60", "10", "10/0", "x/y", "-1/5"])
def test_bad_policies_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="count"):
        parse_rate(text)


def test_gcra_parameters() -> None:
    spec = RateSpec(10, 60.0)
    assert spec.emission_interval_ms == 6000.0
    assert spec.tolerance_ms == 60_000.0


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/v1/bars", "reads"),
        ("HEAD", "/v1/symbols", "reads"),
        ("POST", "/v1/sync", "writes"),
        ("DELETE", "/v1/stream/subscriptions/NASDAQ:AAPL", "writes"),
        ("GET", "/v1/stream/events", "streams"),
    ],
)
def test_route_classes(method: str, path: str, expected: str) -> None:
    assert route_class(method, path) == expected


def test_headers_follow_the_draft() -> None:
    decision = RateDecision(True, "reads", RateSpec(100, 60.0), 99, 0, 1)
    assert dict(decision.headers()) == {
        b"ratelimit-policy": b'"reads";q=100;w=60',
        b"ratelimit": b'"reads";r=99;t=1',
    }
