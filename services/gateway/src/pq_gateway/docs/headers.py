"""Response headers and media types the OpenAPI document declares, which middleware adds
where FastAPI cannot see them: X-Correlation-ID on every answer, the RateLimit fields on
/v1, Retry-After on 429 and 503, Location on creations, Idempotent-Replayed on writes,
Pq-Coverage on bars, and GET /v1/bars's export media types."""

from __future__ import annotations

from typing import Any

from pq_runtime.http.media_types import BarsMediaType

from ..api.problems import problem_responses

_STR = {"type": "string"}
HEADERS: dict[str, dict[str, Any]] = {
    "X-Correlation-ID": {
        "description": "The request's correlation id: the caller's own when well-formed "
        "(echoed), else a fresh one; it follows the request through every service",
        "schema": {**_STR, "example": "req-7f3a9c"},
    },
    "RateLimit-Policy": {
        "description": 'The quota of this route class, e.g. `"reads";q=1200;w=60` '
        "(draft-ietf-httpapi-ratelimit-headers)",
        "schema": _STR,
    },
    "RateLimit": {
        "description": 'What is left of it: `"reads";r=<remaining requests>;t=<seconds to reset>`',
        "schema": _STR,
    },
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "schema": {"type": "integer", "minimum": 0, "example": 1},
    },
    "Location": {"description": "The path of the resource created", "schema": _STR},
    "Idempotent-Replayed": {
        "description": "`true` when this is the stored answer of an earlier request with the "
        "same Idempotency-Key",
        "schema": {"type": "string", "enum": ["true"]},
    },
    "Pq-Coverage": {
        "description": "`<start>/<end>` (RFC 3339 UTC): the range the read model holds for the "
        "symbol and interval, as the body's `coverage`; absent when it holds none",
        "schema": {**_STR, "example": "2024-06-03T13:30:00Z/2025-03-10T20:00:00Z"},
    },
}
_CREATES = {
    ("post", "/v1/sync"),
    ("post", "/v1/webhooks"),
    ("put", "/v1/schedules/{symbol}"),
    ("put", "/v1/stream/subscriptions/{symbol}"),
}
_WRITES = ("post", "put", "patch", "delete")


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{name}"}


def declare_headers(schema: dict[str, Any]) -> None:
    schema.setdefault("components", {})["headers"] = HEADERS
    _bars_exports(schema["paths"]["/v1/bars"]["get"])
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            for status, answer in operation.get("responses", {}).items():
                headers = answer.setdefault("headers", {})
                headers["X-Correlation-ID"] = _ref("X-Correlation-ID")
                if path.startswith("/v1/"):
                    headers["RateLimit-Policy"] = _ref("RateLimit-Policy")
                    headers["RateLimit"] = _ref("RateLimit")
                if status in ("429", "503"):
                    headers["Retry-After"] = _ref("Retry-After")
                if status.startswith("2") and method in _WRITES and path.startswith("/v1/"):
                    headers["Idempotent-Replayed"] = _ref("Idempotent-Replayed")
                if status in ("201", "202") and (method, path) in _CREATES:
                    headers["Location"] = _ref("Location")


def _bars_exports(operation: dict[str, Any]) -> None:
    ok = operation["responses"]["200"]
    ok.setdefault("headers", {})["Pq-Coverage"] = _ref("Pq-Coverage")
    ok["description"] = "A page of bars (JSON), or the whole range as a bulk export"
    content = ok.setdefault("content", {})
    content[BarsMediaType.CSV.value] = {
        "schema": {"type": "string"},
        "example": "t,o,h,l,c,v\n2025-03-10T13:30:00.000Z,236.95,237.48,235.12,236.2,8412339\n",
    }
    for media_type in (BarsMediaType.PARQUET, BarsMediaType.ARROW):
        content[media_type.value] = {"schema": {"type": "string", "format": "binary"}}
    operation["responses"].update({str(k): v for k, v in problem_responses(406).items()})
    operation.setdefault("parameters", []).append(
        {
            "name": "Accept",
            "in": "header",
            "required": False,
            "description": "`application/json` (default, also for `*/*`): a page. "
            "`text/csv`, `application/vnd.apache.parquet`, "
            "`application/vnd.apache.arrow.stream`: the whole range, streamed. Any Accept "
            "list with q-values works; one no type matches is answered 406",
            "schema": {
                "type": "string",
                "enum": ["*/*", *(t.value for t in BarsMediaType)],
                "example": BarsMediaType.ARROW.value,
            },
        }
    )
