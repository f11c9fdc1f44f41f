"""Idempotency records in Redis: an atomic claim (SET NX with a lease), then the result.

A key's value is JSON: `{"state": "in_flight", "fingerprint", "token"}` while the first
request runs (expiring after the lease, so a crashed request frees its key), then
`{"state": "done", "fingerprint", "status", "headers", "body"}` for the retention
period. Completing and releasing compare the claim's token first (Lua, atomic), so a
request whose lease ran out never overwrites the request that took over.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

_CLAIM = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
return redis.call('GET', KEYS[1])
"""
_COMPLETE = """
local current = redis.call('GET', KEYS[1])
if not current or cjson.decode(current)['token'] ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
"""
_RELEASE = """
local current = redis.call('GET', KEYS[1])
if current and cjson.decode(current)['token'] == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
"""


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass(frozen=True, slots=True)
class Claim:
    """The outcome of claiming a key: ours (token), or what another request left there."""

    token: str | None
    fingerprint: str | None = None
    result: StoredResponse | None = None  # set when the first request has finished

    @property
    def ours(self) -> bool:
        return self.token is not None


class IdempotencyStore:
    def __init__(self, redis: Redis, *, ttl_s: int, lease_s: int) -> None:
        self._claim = redis.register_script(_CLAIM)
        self._complete = redis.register_script(_COMPLETE)
        self._release = redis.register_script(_RELEASE)
        self._ttl_s = ttl_s
        self._lease_ms = lease_s * 1000

    async def claim(self, key: str, fingerprint: str) -> Claim:
        token = secrets.token_hex(16)
        record = {"state": "in_flight", "fingerprint": fingerprint, "token": token}
        existing = await self._claim(keys=[key], args=[json.dumps(record), self._lease_ms])
        if existing is None:
            return Claim(token=token)
        stored: dict[str, Any] = json.loads(existing)
        result = None
        if stored.get("state") == "done":
            result = StoredResponse(
                status=int(stored["status"]),
                headers=[(str(k), str(v)) for k, v in stored["headers"]],
                body=base64.b64decode(stored["body"]),
            )
        return Claim(token=None, fingerprint=str(stored.get("fingerprint")), result=result)

    async def complete(
        self, key: str, claim: Claim, fingerprint: str, response: StoredResponse
    ) -> None:
        assert claim.token is not None, "only the claim's owner completes it"
        record = {
            "state": "done",
            "fingerprint": fingerprint,
            "token": claim.token,
            "status": response.status,
            "headers": response.headers,
            "body": base64.b64encode(response.body).decode(),
        }
        await self._complete(keys=[key], args=[claim.token, json.dumps(record), self._ttl_s])

    async def release(self, key: str, claim: Claim) -> None:
        assert claim.token is not None, "only the claim's owner releases it"
        await self._release(keys=[key], args=[claim.token])
