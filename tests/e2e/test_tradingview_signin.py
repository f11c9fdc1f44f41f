"""Issue 13, done when: TradingView sign-in, token renewal and a wrong password, through the
public REST contract against the whole stack (`pq up`) with the simulator as TradingView.

The simulator's own /control/status is read too: it counts sign-ins and refused tokens, which
is how "renewed before expiry" and "no retry loop" are seen from outside the services.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.pq_rest import start_sync, wait_job
from tests.support.stack_runner import E2eStack, start_stack
from tests.support.waiting import wait_until

PASSWORD = "pw-e2e-s3cret-9f2c"  # grepped for in every log below
TOKEN_TTL_S = 20


def _stack(tmp: Path, password: str) -> E2eStack:
    return start_stack(
        tmp,
        ready_timeout=300.0,  # a busy shared machine starts nine processes slowly
        PQ_TVSIM_USERS=f"quant:{PASSWORD}",
        PQ_TVSIM_TOKEN_TTL_S=str(TOKEN_TTL_S),
        PQ_TRADINGVIEW_USERNAME="quant",
        PQ_TRADINGVIEW_PASSWORD=password,
    )


@pytest.fixture(scope="module")
def signed_in_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2eStack]:
    stack = _stack(tmp_path_factory.mktemp("signin") / "pq", PASSWORD)
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def wrong_password_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2eStack]:
    stack = _stack(tmp_path_factory.mktemp("wrongpw") / "pq", "not-the-password")
    try:
        yield stack
    finally:
        stack.stop()


def gateway(stack: E2eStack) -> httpx.Client:
    return httpx.Client(base_url=stack.gateway_url, headers=stack.auth_headers(), timeout=30)


def simulator_status(stack: E2eStack) -> dict[str, Any]:
    response = httpx.get(f"http://127.0.0.1:{stack.ports['tvsim']}/control/status", timeout=10)
    response.raise_for_status()
    status: dict[str, Any] = response.json()
    return status


def test_signed_in_syncs_keep_working_across_token_renewals(signed_in_stack: E2eStack) -> None:
    with gateway(signed_in_stack) as client:
        first = wait_job(client, start_sync(client, "BINANCE:BTCUSDT", "1h", 24))
        assert first["status"] == "done", first
        bars = client.get(
            "/v1/bars", params={"symbol": "BINANCE:BTCUSDT", "interval": "1h", "limit": 24}
        )
        assert bars.status_code == 200
        assert len(bars.json()["bars"]) == 24
        assert simulator_status(signed_in_stack)["signins"]["ok"] >= 1

        # Outlive the first tokens: both services must sign in again before theirs expire.
        started = time.monotonic()
        wait_until(lambda: time.monotonic() - started > TOKEN_TTL_S + 5, timeout=60, interval=1)
        second = wait_job(client, start_sync(client, "BINANCE:ETHUSDT", "1h", 24))
        assert second["status"] == "done", second
        shards = client.get("/v1/stream/status").json()["shards"]

    sim = simulator_status(signed_in_stack)
    assert sim["signins"]["ok"] >= 3, sim  # history twice, the stream at least once more
    assert sim["bad_tokens"] == 0, sim  # each renewed before the simulator refused it
    assert shards, "no ingest-stream shard reported"
    assert all(s["connected"] and s["reconnects"] == 0 for s in shards), shards


def test_no_password_or_token_reaches_a_log(signed_in_stack: E2eStack) -> None:
    assert simulator_status(signed_in_stack)["signins"]["ok"] >= 1
    logs = [signed_in_stack.data_dir / "pq-up.log", *signed_in_stack.data_dir.glob("logs/*")]
    for path in logs:
        text = path.read_text(errors="replace")
        assert PASSWORD not in text, f"the password is in {path.name}"
        assert "eyJ" not in text, f"a JWT (auth token) is in {path.name}"


def test_a_wrong_password_fails_the_job_naming_the_signin_and_is_not_retried(
    wrong_password_stack: E2eStack,
) -> None:
    with gateway(wrong_password_stack) as client:
        job = wait_job(client, start_sync(client, "BINANCE:BTCUSDT", "1h", 10))
        assert job["status"] == "failed", job
        assert "sign-in as 'quant'" in job["error"], job
        assert "BINANCE:BTCUSDT" in job["error"], job
        assert "not-the-password" not in job["error"]

        again = wait_job(client, start_sync(client, "BINANCE:ETHUSDT", "1h", 10))
        assert again["status"] == "failed", again
        assert "sign-in" in again["error"], again

        def shard_reports_signin() -> list[dict[str, Any]] | None:
            shards = client.get("/v1/stream/status").json()["shards"]
            failing = [s for s in shards if "sign-in" in (s.get("error") or "")]
            return failing or None

        shards = wait_until(shard_reports_signin, timeout=60, what="the stream's sign-in error")
        assert not any(s["connected"] for s in shards), shards

    refused = simulator_status(wrong_password_stack)["signins"]["rejected"]
    assert refused <= 2, refused  # one per service, then the refusal is held
    # Five seconds more (fifty of the stream's shortest backoffs): still no new sign-in.
    since = time.monotonic()
    wait_until(lambda: time.monotonic() - since > 5, timeout=10, interval=0.5)
    assert simulator_status(wrong_password_stack)["signins"]["rejected"] == refused
