"""OpenAPI additions FastAPI cannot infer: the Problem schema, API-key security, the
answers the middleware can give on every /v1 operation (401 403 429 503; 400 409 422 for
Idempotency-Key on writes; 413 for bodies), and the bounds this deployment's settings set."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from pq_domain.schedule import MAX_BARS

from ..api.problems import Problem, problem_responses
from ..settings import GatewaySettings
from .headers import declare_headers
from .operations import OPERATIONS, TAGS, camel

SECURITY_SCHEMES = {
    "bearerKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "`Authorization: Bearer <key>`",
    },
    "headerKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
}
_EVERY_V1 = (401, 403, 429, 503)
_WRITES = ("post", "put", "patch", "delete")
_IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Makes a retry safe: the first answer is replayed for 24 h "
    "(`Idempotent-Replayed: true`); 409 while the first runs, 422 for another payload",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
}


def install_openapi(app: FastAPI, settings: GatewaySettings) -> None:
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = original()
        components = schema.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(problem.pop("$defs", {}))
        schemas["Problem"] = problem
        components["securitySchemes"] = SECURITY_SCHEMES
        _bound_bars(schemas["SyncCreate"], settings.sync_max_bars)
        _bound_bars(schemas["ScheduleUpsert"], min(settings.sync_max_bars, MAX_BARS))
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                _describe(method, path, operation)
                if path.startswith("/v1/"):
                    _protect(method, operation)
        schema["tags"] = TAGS
        declare_headers(schema)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _describe(method: str, path: str, operation: dict[str, Any]) -> None:
    known = OPERATIONS.get((method, path))
    # FastAPI's default id ends with the path and method: the function's name is before it.
    fallback = operation["operationId"].split("_v1_")[0].removesuffix(f"_{method}")
    operation["operationId"] = known.operation_id if known else camel(fallback)
    if known is not None:
        extra = operation.get("description")
        operation["description"] = known.description + (f"\n\n{extra}" if extra else "")
    else:
        operation.setdefault("description", operation.get("summary", ""))


def _protect(method: str, operation: dict[str, Any]) -> None:
    operation["security"] = [{"bearerKey": []}, {"headerKey": []}]
    statuses = list(_EVERY_V1)
    if method in _WRITES:
        statuses += [400, 409, 413, 422]
        operation.setdefault("parameters", []).append(_IDEMPOTENCY_KEY)
    responses = operation.setdefault("responses", {})
    for status, answer in problem_responses(*statuses).items():
        responses.setdefault(str(status), answer)


def _bound_bars(model: dict[str, Any], maximum: int) -> None:
    """`bars` is 1..`maximum`: PQ_SYNC_MAX_BARS is a setting, so the routes check the
    upper bound (pydantic cannot) and the document states the deployment's value."""
    bars = model["properties"]["bars"]
    for schema in bars.get("anyOf", [bars]):
        if schema.get("type") == "integer":
            schema.update(minimum=1, maximum=maximum)
