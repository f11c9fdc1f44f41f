"""PUT /v1/schedules/{symbol}: the `every` grammar, and the write scope it needs."""

from __future__ import annotations

import httpx
import pytest

from pq_gateway.api.schemas.schedules import parse_every
from pq_gateway.auth.keys import Scope
from pq_gateway.auth.management import create_key
from pq_gateway.settings import GatewaySettings
from tests.unit.gateway.conftest import TEST_PEPPER, MemoryKeyStore
from tests.unit.gateway.problem_asserts import assert_problem


@pytest.mark.parametrize(
    ("given", "seconds"),
    [
        (60, 60),
        (3600.0, 3600),
        ("3600", 3600),
        ("90s", 90),
        ("15m", 900),
        ("1h", 3600),
        ("1d", 86_400),
        ("2w", 14 * 86_400),
        ("PT1H30M", 5400),
        ("pt90s", 90),
        ("P1D", 86_400),
        ("P1DT12H", 129_600),
        ("P1W", 7 * 86_400),
    ],
)
def test_every_accepts_seconds_and_durations(given: object, seconds: int) -> None:
    assert parse_every(given) == seconds


@pytest.mark.parametrize(
    "given", [59, "30s", "PT59S", "P", "PT", "P1DT", "1x", "", "1.5h", 1.5, True, None, "P367D"]
)
def test_every_refuses_the_rest(given: object) -> None:
    with pytest.raises(ValueError, match=r"expected|between|not a duration"):
        parse_every(given)


class TestScope:
    @pytest.fixture
    def settings(self) -> GatewaySettings:
        return GatewaySettings(max_body_bytes=4096, rate_limits_enabled=False)

    async def test_a_read_key_cannot_write_a_schedule(
        self, gateway_client: httpx.AsyncClient, key_store: MemoryKeyStore
    ) -> None:
        _, key = await create_key(key_store, name="t", scopes=(Scope.READ,), pepper=TEST_PEPPER)
        response = await gateway_client.put(
            "/v1/schedules/NASDAQ:AAPL",
            json={"interval": "1h", "every": 3600, "bars": 10},
            headers={"Authorization": f"Bearer {key}"},
        )
        assert_problem(response, 403)
        assert 'scope="write"' in response.headers["www-authenticate"]


async def test_bars_above_the_sync_maximum_names_the_field(
    gateway_client: httpx.AsyncClient,
) -> None:
    response = await gateway_client.put(
        "/v1/schedules/NASDAQ:AAPL", json={"interval": "1h", "every": 3600, "bars": 20_001}
    )
    body = assert_problem(response, 422)
    assert [e["field"] for e in body["errors"]] == ["body.bars"]


async def test_a_non_json_body_is_415(gateway_client: httpx.AsyncClient) -> None:
    response = await gateway_client.put("/v1/schedules/NASDAQ:AAPL", content=b"interval=1h")
    assert_problem(response, 415)
