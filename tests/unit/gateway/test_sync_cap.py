"""PQ_SYNC_MAX_BARS caps both forms of POST /v1/sync: `bars`, and the bars a range holds.

The unit app's cap is 20,000 (tests/unit/gateway/conftest.py); the default is checked too.
"""

from __future__ import annotations

import httpx
import pytest

from pq_domain import Interval
from pq_gateway.api.routers.sync import most_bars_in
from pq_gateway.settings import GatewaySettings
from tests.unit.gateway.conftest import RecordingCommands
from tests.unit.gateway.problem_asserts import assert_problem

T0 = 1_704_067_200_000  # 2024-01-01
MINUTE, DAY = 60_000, 86_400_000
TEN_YEARS_MS = round(10 * 365.25 * DAY)


def test_the_default_cap_fits_ten_years_of_minute_bars_around_the_clock() -> None:
    cap = GatewaySettings().sync_max_bars
    assert most_bars_in(Interval.M1, T0, T0 + TEN_YEARS_MS) == cap == 5_259_600
    assert most_bars_in(Interval.M1, T0, T0 + TEN_YEARS_MS + MINUTE) == cap + 1


@pytest.mark.parametrize(
    ("interval", "span_ms", "most"),
    [
        ("1m", 20_000 * MINUTE, 20_000),
        ("1m", 20_000 * MINUTE + 1, 20_001),
        ("1h", 3_600_000, 1),
        ("1d", 3 * DAY, 3),
        ("1w", 15 * DAY, 3),
        ("1M", 57 * DAY, 3),
    ],
)
def test_a_range_holds_at_most_its_span_over_the_shortest_bar(
    interval: str, span_ms: int, most: int
) -> None:
    assert most_bars_in(Interval(interval), T0, T0 + span_ms) == most


async def test_a_range_within_the_cap_is_accepted(
    gateway_client: httpx.AsyncClient, commands: RecordingCommands
) -> None:
    body = {"symbol": "BINANCE:BTCUSDT", "interval": "1m", "start": T0, "end": T0 + 20_000 * MINUTE}
    answer = await gateway_client.post("/v1/sync", json=body)
    assert answer.status_code == 202, answer.text
    assert len(commands.published) == 1


async def test_a_range_over_the_cap_is_a_422_naming_the_setting(
    gateway_client: httpx.AsyncClient, commands: RecordingCommands
) -> None:
    body = {"symbol": "BINANCE:BTCUSDT", "interval": "1m", "start": T0, "end": T0 + 30 * DAY}
    answer = await gateway_client.post("/v1/sync", json=body)
    problem = assert_problem(answer, 422, "body.end")
    assert "PQ_SYNC_MAX_BARS (20000)" in problem["detail"]
    assert commands.published == []


async def test_a_bar_count_over_the_cap_is_a_422_naming_the_setting(
    gateway_client: httpx.AsyncClient, commands: RecordingCommands
) -> None:
    body = {"symbol": "BINANCE:BTCUSDT", "interval": "1m", "bars": 20_001}
    problem = assert_problem(await gateway_client.post("/v1/sync", json=body), 422, "body.bars")
    assert "PQ_SYNC_MAX_BARS" in problem["detail"]
    assert commands.published == []
