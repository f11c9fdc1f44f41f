"""`pq up` starts the history pipeline and says where the gateway is (issue 5)."""

from __future__ import annotations

import httpx

from tests.support.stack_probe import HTTP_SERVICES, service_url
from tests.support.stack_runner import E2eStack

HISTORY_PIPELINE = {"nats-server", "redis-server", "tv-simulator", "ingest-history", "query"}


def test_pq_up_runs_the_history_pipeline_and_prints_the_gateway_url(
    running_stack: E2eStack,
) -> None:
    assert running_stack.record is not None
    names = {child.name for child in running_stack.record.processes}
    assert names >= HISTORY_PIPELINE | {"gateway"}, f"stack.json lists {sorted(names)}"
    assert running_stack.record.endpoints.get("gateway_url") == running_stack.gateway_url
    banner = (running_stack.data_dir / "pq-up.log").read_text(errors="replace")
    assert running_stack.gateway_url in banner, "the banner names the gateway URL"


def test_gateway_health_reports_every_dependency_up(gateway_client: httpx.Client) -> None:
    response = gateway_client.get("/health")
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["dependencies"], report
    down = {name: dep for name, dep in report["dependencies"].items() if dep["status"] != "up"}
    assert not down, report


def test_every_service_reports_health_in_one_shape(running_stack: E2eStack) -> None:
    """One probe and one dashboard read them all: status, then each dependency's state."""
    for name in HTTP_SERVICES:
        response = httpx.get(f"{service_url(running_stack, name)}/health", timeout=5)
        assert response.status_code == 200, (name, response.text)
        report = response.json()
        assert report["status"] == "ok", (name, report)
        assert report["dependencies"], (name, report)
        for dependency, state in report["dependencies"].items():
            assert state == {"status": "up"}, (name, dependency, report)
