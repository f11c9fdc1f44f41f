"""Attack: reach NATS with no (or wrong) credentials. Auth is on, in the embedded stack too."""

from __future__ import annotations

import httpx
import nats
import pytest

from tests.support.bus_identities import bus_stack, connected, plain_nats_url
from tests.support.stack_runner import E2eStack

__all__ = ["bus_stack"]


async def _connect_anonymously(url: str) -> None:
    client = await nats.connect(
        url, connect_timeout=5, allow_reconnect=False, max_reconnect_attempts=0
    )
    await client.close()


async def test_an_anonymous_connection_is_refused(bus_stack: E2eStack) -> None:
    with pytest.raises(nats.errors.Error, match="Authorization Violation"):
        await _connect_anonymously(plain_nats_url(bus_stack))


async def test_a_wrong_password_is_refused(bus_stack: E2eStack) -> None:
    with pytest.raises(nats.errors.Error, match="Authorization Violation"):
        async with connected(plain_nats_url(bus_stack), "gateway", "guessed-password"):
            pass


def test_no_credential_is_published_in_stack_json(bus_stack: E2eStack) -> None:
    stack_json = (bus_stack.data_dir / "stack.json").read_text()
    assert "@" not in stack_json.replace("\\u0040", "")  # no user:password@host anywhere
    secrets = (bus_stack.data_dir / "credentials.json").read_text()
    assert (bus_stack.data_dir / "credentials.json").stat().st_mode & 0o077 == 0
    assert all(password not in stack_json for password in secrets.split('"') if len(password) > 20)


def test_the_stack_serves_with_auth_on(bus_stack: E2eStack) -> None:
    health = httpx.get(f"{bus_stack.gateway_url}/health", timeout=10)
    assert health.status_code == 200, health.text


def test_pq_tools_act_as_the_local_stacks_operator(bus_stack: E2eStack) -> None:
    """`pq keys` in a shell with no NATS settings finds the stack and its admin identity."""
    listed = bus_stack.pq("keys", "list")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert "development" in listed.stdout
