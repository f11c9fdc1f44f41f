"""NATS identities for security tests: connect as any identity of a running stack, record
the permission violations the server reports, and share one stack between bus test files.

The stack is started once (on first use) and stopped when the test session ends.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import nats
import pytest
from nats.aio.client import Client

from pq_launcher.bus_auth import BusAuth
from tests.support.stack_runner import E2eStack, start_stack
from tests.support.waiting import wait_for

REFUSAL_WAIT_S = 10.0  # generous: the machine is shared
_shared: list[E2eStack] = []


@pytest.fixture
def bus_stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> E2eStack:
    """The whole embedded stack, auth on, shared by every bus security test."""
    if not _shared:
        _shared.append(start_stack(tmp_path_factory.mktemp("bus") / "pq"))
        request.config.add_cleanup(_shared[0].stop)
    return _shared[0]


def plain_nats_url(stack: E2eStack) -> str:
    assert stack.record is not None
    return stack.record.endpoints["nats_url"]


def password_of(stack: E2eStack, identity: str) -> str:
    return BusAuth(stack.data_dir).secrets().nats_password(identity)


@dataclass
class Session:
    """A connection as one identity, with the server's errors (permission violations)."""

    client: Client
    errors: list[str] = field(default_factory=list)

    async def refused(self, subject: str) -> bool:
        """True once the server has reported a violation naming `subject`."""

        async def seen() -> bool:
            # nats-py lowercases the server's -ERR text.
            wanted = subject.lower()
            return any("permissions violation" in e and wanted in e for e in self.errors)

        with contextlib.suppress(AssertionError):
            await wait_for(seen, timeout=REFUSAL_WAIT_S, what=f"violation on {subject}")
        return await seen()


@contextlib.asynccontextmanager
async def connected(
    url: str, user: str, password: str, **options: object
) -> AsyncIterator[Session]:
    errors: list[str] = []

    async def on_error(exc: Exception) -> None:
        errors.append(str(exc).lower())

    client = await nats.connect(
        url,
        user=user,
        password=password,
        connect_timeout=5,
        allow_reconnect=False,
        max_reconnect_attempts=0,
        error_cb=on_error,
        **options,
    )
    try:
        yield Session(client, errors)
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(client.close(), 5)


@contextlib.asynccontextmanager
async def connected_as(stack: E2eStack, identity: str) -> AsyncIterator[Session]:
    """As one of the stack's own identities (admin or a service), with its reply prefix."""
    inbox = {} if identity == "admin" else {"inbox_prefix": f"_INBOX_{identity}"}
    async with connected(
        plain_nats_url(stack), identity, password_of(stack, identity), **inbox
    ) as session:
        yield session
