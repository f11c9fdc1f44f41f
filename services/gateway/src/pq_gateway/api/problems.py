"""RFC 9457 problem details: the one place every gateway error response is built.

Types are `about:blank` for plain HTTP errors (title = the status phrase) and a
`urn:pq:problem:<slug>` for ours, so clients can switch on `type` without parsing text.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, Field
from starlette.responses import JSONResponse

from pq_domain.problem_types import (
    DEPENDENCY_TYPE,
    FORBIDDEN_TYPE,
    PROBLEM_MEDIA_TYPE,
    UNAUTHENTICATED_TYPE,
    VALIDATION_TYPE,
)


class FieldError(BaseModel):
    field: str = Field(description="Where the fault is: `body.symbol`, `query.limit`, ...")
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document (`application/problem+json`)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] = Field(default_factory=list)


class ProblemError(Exception):
    """Raise from a route or dependency to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        type_: str = "about:blank",
        title: str | None = None,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or HTTPStatus(status).phrase)
        self.status = status
        self.detail = detail
        self.type = type_
        self.title = title or HTTPStatus(status).phrase
        self.errors = errors or []
        self.headers = headers or {}


def invalid(field: str, message: str, *, status: int = 422) -> ProblemError:
    """A validation problem naming one field (422, or 400 for unusable requests)."""
    return validation_problem([FieldError(field=field, message=message)], status=status)


def dependency_unavailable(name: str, detail: str) -> ProblemError:
    title = f"{name} unavailable"
    return ProblemError(
        503, detail, type_=DEPENDENCY_TYPE, title=title, headers={"Retry-After": "1"}
    )


def unauthenticated(detail: str, *, invalid_token: bool) -> ProblemError:
    """401 with the RFC 6750 challenge (`error="invalid_token"` when a key was given)."""
    challenge = 'Bearer realm="pocketquant"'
    if invalid_token:
        challenge += ', error="invalid_token"'
    return ProblemError(
        401,
        detail,
        type_=UNAUTHENTICATED_TYPE,
        title="Unauthorized",
        headers={"WWW-Authenticate": challenge},
    )


def insufficient_scope(required: str) -> ProblemError:
    challenge = f'Bearer realm="pocketquant", error="insufficient_scope", scope="{required}"'
    return ProblemError(
        403,
        f"this API key lacks the {required!r} scope",
        type_=FORBIDDEN_TYPE,
        title="Forbidden",
        headers={"WWW-Authenticate": challenge},
    )


def validation_problem(errors: list[FieldError], *, status: int = 422) -> ProblemError:
    """A validation problem naming every field at fault."""
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
    return ProblemError(
        status, detail, type_=VALIDATION_TYPE, title="Request validation failed", errors=errors
    )


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(mode="json"),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def response_for(error: ProblemError, instance: str | None) -> JSONResponse:
    problem = Problem(
        type=error.type,
        title=error.title,
        status=error.status,
        detail=error.detail,
        instance=instance,
        errors=error.errors,
    )
    return problem_response(problem, error.headers)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries declaring problem documents for these statuses."""
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
