"""The one /health shape: 200 only when every dependency answers, else 503 naming why."""

from __future__ import annotations

import asyncio
import json

from pq_runtime.http import health_response, nats_health, probe, workers_health


async def _answers() -> None:
    return None


async def _hangs() -> None:
    await asyncio.sleep(10)


async def _refuses() -> None:
    raise ConnectionRefusedError


async def test_every_dependency_up_is_200_with_the_details_beside_status() -> None:
    response = health_response(
        {"nats": nats_health(True), "store": await probe(_answers)}, instance="b-1"
    )

    assert response.status_code == 200
    assert json.loads(bytes(response.body)) == {
        "status": "ok",
        "instance": "b-1",
        "dependencies": {"nats": {"status": "up"}, "store": {"status": "up"}},
    }


async def test_a_store_that_hangs_or_refuses_is_down_with_why_and_the_service_503() -> None:
    hung, refused = await probe(_hangs, timeout_s=0.05), await probe(_refuses)
    response = health_response(
        {
            "hung": hung,
            "refused": refused,
            "nats": nats_health(False),
            "workers": workers_health(["relay"]),
        }
    )

    assert response.status_code == 503
    assert json.loads(bytes(response.body)) == {
        "status": "degraded",
        "dependencies": {
            "hung": {"status": "down", "detail": "no answer within 0.05s"},
            "refused": {"status": "down", "detail": "ConnectionRefusedError"},
            "nats": {"status": "down", "detail": "not connected"},
            "workers": {"status": "down", "detail": "stopped: relay"},
        },
    }
