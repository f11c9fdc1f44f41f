"""Every refusal of the gateway reaches the user as a typed error; 429 is retried."""

from __future__ import annotations

import time

import pytest

import pocketquant
from tests.support.stack_runner import E2eStack, free_ports
from tests.support.waiting import wait_until


def test_a_malformed_symbol_is_invalid_naming_the_field(client: pocketquant.Client) -> None:
    with pytest.raises(pocketquant.Invalid) as raised:
        client.bars("NASDAQ", "1d", start="2025-01-01", end="2025-02-01")
    assert raised.value.status == 422
    assert raised.value.field == "query.symbol"
    assert raised.value.correlation_id


def test_a_sync_without_bars_or_range_is_invalid(client: pocketquant.Client) -> None:
    with pytest.raises(pocketquant.Invalid) as raised:
        client.sync("NASDAQ:AAPL", "1d")
    assert raised.value.field == "body"
    with pytest.raises(pocketquant.Invalid) as raised:
        client.bars("NASDAQ:AAPL", "1d", start="2025-02-01", end="2025-01-01", sync="never")
    assert raised.value.field == "query.end"


def test_missing_things_are_not_found(client: pocketquant.Client) -> None:
    with pytest.raises(pocketquant.NotFound):
        client.job("no-such-job")
    with pytest.raises(pocketquant.NotFound):
        client.unwatch("NYSE:XOM")  # never watched
    with pytest.raises(pocketquant.NotFound):
        client.quote("NYSE:XOM")  # never quoted


def test_a_sync_of_an_unknown_symbol_fails_as_a_typed_error(client: pocketquant.Client) -> None:
    with pytest.raises(pocketquant.SyncFailed) as raised:
        client.bars("NASDAQ:NOSUCH", "1d", start="2025-01-01", end="2025-02-01")
    assert raised.value.job.status == "failed"
    assert "NASDAQ:NOSUCH" in str(raised.value)


def test_no_gateway_is_a_connection_error() -> None:
    with (
        pocketquant.Client(f"http://127.0.0.1:{free_ports(1)[0]}", "pq_x") as client,
        pytest.raises(pocketquant.ConnectionFailed, match="no answer from the gateway"),
    ):
        client.symbols()


def test_unknown_keys_are_unauthorized_then_rate_limited_and_retried(
    sdk_stack: E2eStack,
) -> None:
    """The stack allows 5 failed authentications per 10 s per address (conftest)."""
    url = sdk_stack.gateway_url
    with pocketquant.Client(url, "pq_bogus_key", max_retries=0) as impatient:
        with pytest.raises(pocketquant.Unauthorized) as first:
            impatient.symbols()
        assert first.value.status == 401

        def refused() -> pocketquant.RateLimited | None:
            try:
                impatient.symbols()
            except pocketquant.RateLimited as error:
                return error
            except pocketquant.Unauthorized:
                return None
            raise AssertionError("an unknown key was accepted")

        limited = wait_until(refused, timeout=30, interval=0.01, what="429 for failed auth")
    assert limited.retry_after is not None
    assert limited.retry_after >= 1

    # With retries (the default), the SDK waits Retry-After and asks again: the answer
    # is then the key's own refusal, 401, never the 429.
    started = time.monotonic()
    with (
        pocketquant.Client(url, "pq_bogus_key") as patient,
        pytest.raises(pocketquant.Unauthorized),
    ):
        patient.symbols()
    assert time.monotonic() - started >= limited.retry_after - 1.0
