"""Idempotency-Key on POST/PUT/PATCH/DELETE under /v1 (Stripe's semantics).

The first request with a key claims it (atomic SET NX with a lease) and runs; its status
and body are kept `PQ_IDEMPOTENCY_TTL_S` (24 h), scoped to the API key. A retry with the
same key and the same method, path, query and body gets them back with
`Idempotent-Replayed: true`; with a different payload, 422; while the first still runs,
409. 5xx results are not kept (the claim is released), so a retry runs again.

It is middleware, not a route dependency, because it must capture the response bytes.
A route may name top-level JSON fields of its answer that must never be kept or replayed
(`WITHHELD_KEY` in the scope): POST /v1/webhooks withholds the signing secret, shown
once, so a replay answers without it and Redis never holds it.
Routes see `SEED_KEY` in the scope: a stable digest of (caller, key), from which
POST /v1/sync derives its job id, so even a re-run after a lost lease makes the same job
(and the stream's duplicate window drops the re-published command).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re

from redis.exceptions import RedisError
from starlette.types import Message, Receive, Scope, Send

from pq_domain.problem_types import IDEMPOTENCY_IN_FLIGHT_TYPE, IDEMPOTENCY_MISMATCH_TYPE

from ..api.problems import ProblemError, dependency_unavailable, invalid, response_for
from ..auth.middleware import caller_identity, is_protected
from ..edge.http_middleware import HttpMiddleware
from ..resources import resources_of
from .store import Claim, IdempotencyStore, StoredResponse

SEED_KEY = "pq.idempotency_seed"
WITHHELD_KEY = "pq.idempotency_withheld"
HEADER = b"idempotency-key"
_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_WELL_FORMED = re.compile(r"[\x21-\x7e]{1,255}")
_KEPT_HEADERS = frozenset({b"content-type", b"location"})


def idempotency_key(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == HEADER:
            return bytes(value).decode("latin-1")
    return None


class IdempotencyMiddleware(HttpMiddleware):
    def applies_to(self, scope: Scope) -> bool:
        return scope["method"] in _METHODS

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = idempotency_key(scope)
        if key is None or not is_protected(scope["path"]):
            await self.app(scope, receive, send)
            return
        try:
            await self._handle(scope, receive, send, key)
        except ProblemError as problem:
            await response_for(problem, scope["path"])(scope, receive, send)

    async def _handle(self, scope: Scope, receive: Receive, send: Send, key: str) -> None:
        if not _WELL_FORMED.fullmatch(key):
            raise invalid("header.idempotency-key", "1 to 255 visible ASCII characters", status=400)
        resources = resources_of(scope)
        body, replay = await _read_body(receive)
        identity = caller_identity(scope)
        fingerprint = _fingerprint(scope, body)
        digest = hashlib.sha256(f"{identity}\0{key}".encode()).hexdigest()
        redis_key = f"pq:idem:{digest}"
        try:
            claim = await resources.idempotency.claim(redis_key, fingerprint)
        except (RedisError, OSError) as exc:
            raise dependency_unavailable("Redis", "Idempotency-Key cannot be honoured now") from exc
        if not claim.ours:
            await self._answer_repeat(scope, receive, send, claim, fingerprint)
            return
        scope[SEED_KEY] = digest
        captured = _Capture()
        try:
            await self.app(scope, replay, captured.send)
        except BaseException:
            await _quietly_release(resources.idempotency, redis_key, claim)
            raise
        if captured.status is None or captured.status >= 500:
            await _quietly_release(resources.idempotency, redis_key, claim)
        else:
            # Stored before it is sent: a client that got this answer and sends the key
            # again is replayed, never told "still being processed" (409). On failure
            # the answer goes anyway; the key frees itself when the lease expires.
            with contextlib.suppress(RedisError, OSError):
                stored = captured.result(scope.get(WITHHELD_KEY, ()))
                await resources.idempotency.complete(redis_key, claim, fingerprint, stored)
        await captured.deliver(send)

    async def _answer_repeat(
        self, scope: Scope, receive: Receive, send: Send, claim: Claim, fingerprint: str
    ) -> None:
        metrics = resources_of(scope).metrics
        if claim.fingerprint != fingerprint:
            metrics.idempotency_conflicts.labels("payload_mismatch").inc()
            raise ProblemError(
                422,
                "this Idempotency-Key was used with a different request; use a new key",
                type_=IDEMPOTENCY_MISMATCH_TYPE,
                title="Idempotency-Key reused",
            )
        if claim.result is None:
            metrics.idempotency_conflicts.labels("in_flight").inc()
            raise ProblemError(
                409,
                "a request with this Idempotency-Key is still being processed; retry shortly",
                type_=IDEMPOTENCY_IN_FLIGHT_TYPE,
                title="Conflict",
                headers={"Retry-After": "1"},
            )
        metrics.idempotency_replays.inc()
        result = claim.result
        headers = [(k.encode(), v.encode()) for k, v in result.headers]
        headers += [
            (b"idempotent-replayed", b"true"),
            (b"content-length", b"%d" % len(result.body)),
        ]
        await send({"type": "http.response.start", "status": result.status, "headers": headers})
        await send({"type": "http.response.body", "body": result.body})


def _fingerprint(scope: Scope, body: bytes) -> str:
    h = hashlib.sha256()
    for part in (scope["method"].encode(), scope["path"].encode(), scope["query_string"], body):
        h.update(part)
        h.update(b"\0")
    return h.hexdigest()


async def _read_body(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body, and a receive that replays it (then defers to the server)."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    pending: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return body, replay


async def _quietly_release(store: IdempotencyStore, redis_key: str, claim: Claim) -> None:
    with contextlib.suppress(RedisError, OSError):  # the lease expires by itself anyway
        await store.release(redis_key, claim)


class _Capture:
    """Holds the response (small answers of writes) until it is stored, keeping a copy of
    what is worth replaying."""

    def __init__(self) -> None:
        self.status: int | None = None
        self._headers: list[tuple[str, str]] = []
        self._messages: list[Message] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
            self._headers = [
                (k.decode("latin-1"), v.decode("latin-1"))
                for k, v in message.get("headers", ())
                if k.lower() in _KEPT_HEADERS
            ]
        self._messages.append(message)

    async def deliver(self, send: Send) -> None:
        for message in self._messages:
            await send(message)

    def result(self, withheld: tuple[str, ...] = ()) -> StoredResponse:
        assert self.status is not None
        body = b"".join(
            m.get("body", b"") for m in self._messages if m["type"] == "http.response.body"
        )
        if withheld:
            body = _without_fields(body, withheld)
        return StoredResponse(self.status, self._headers, body)


def _without_fields(body: bytes, fields: tuple[str, ...]) -> bytes:
    """The JSON object without `fields`; anything else (not an object) is not kept at all."""
    try:
        document = json.loads(body)
    except ValueError:
        return b""
    if not isinstance(document, dict):
        return b""
    return json.dumps({k: v for k, v in document.items() if k not in fields}).encode()
