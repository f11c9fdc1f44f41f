"""RFC 9457 problem+json: the one place the query service builds error responses."""

from __future__ import annotations

from http import HTTPStatus

import msgspec
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from pq_domain.problem_types import (
    DEPENDENCY_TYPE,
    INTERNAL_TYPE,
    PROBLEM_MEDIA_TYPE,
    VALIDATION_TYPE,
)

log = structlog.get_logger(__name__)


class FieldError(msgspec.Struct):
    field: str
    message: str


class Problem(msgspec.Struct, omit_defaults=True):
    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] = []


class ProblemError(Exception):
    def __init__(
        self,
        status: int,
        detail: str,
        *,
        type_: str = "about:blank",
        title: str | None = None,
        errors: list[FieldError] | None = None,
    ) -> None:
        super().__init__(detail)
        self.problem = Problem(
            type=type_,
            title=title or HTTPStatus(status).phrase,
            status=status,
            detail=detail,
            errors=errors or [],
        )


def invalid(field: str, message: str) -> ProblemError:
    return ProblemError(
        422,
        f"{field}: {message}",
        type_=VALIDATION_TYPE,
        title="Request validation failed",
        errors=[FieldError(field, message)],
    )


def not_found(detail: str) -> ProblemError:
    return ProblemError(404, detail)


def not_acceptable(detail: str) -> ProblemError:
    return ProblemError(406, detail)


def unavailable(name: str, detail: str) -> ProblemError:
    return ProblemError(503, detail, type_=DEPENDENCY_TYPE, title=f"{name} unavailable")


def problem_body(problem: Problem, instance: str) -> bytes:
    return msgspec.json.encode(msgspec.structs.replace(problem, instance=instance))


def problem_response(problem: Problem, instance: str) -> Response:
    return Response(
        problem_body(problem, instance), status_code=problem.status, media_type=PROBLEM_MEDIA_TYPE
    )


def install_problem_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ProblemError)
        return problem_response(exc.problem, request.url.path)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = [
            FieldError(".".join(str(p) for p in e.get("loc", ())), str(e.get("msg", "")))
            for e in exc.errors()
        ]
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
        problem = Problem(VALIDATION_TYPE, "Request validation failed", 422, detail, errors=errors)
        return problem_response(problem, request.url.path)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        phrase = HTTPStatus(exc.status_code).phrase
        problem = Problem("about:blank", phrase, exc.status_code, detail=exc.detail)
        return problem_response(problem, request.url.path)

    async def on_unhandled(request: Request, exc: Exception) -> Response:
        log.exception("api.unhandled", path=request.url.path)
        problem = Problem(INTERNAL_TYPE, "Internal Server Error", 500, "unexpected error")
        return problem_response(problem, request.url.path)

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(Exception, on_unhandled)
