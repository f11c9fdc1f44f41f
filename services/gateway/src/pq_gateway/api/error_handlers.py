"""Maps every error FastAPI or Starlette raises to a problem document (see problems.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from pq_domain.problem_types import MALFORMED_TYPE

from .problems import FieldError, ProblemError, response_for, validation_problem


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return response_for(exc, request.url.path)


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [field_error(e) for e in exc.errors()]
    # Unparseable JSON is a malformed request (400), not a well-formed but invalid one (422).
    if any(e.get("type") == "json_invalid" for e in exc.errors()):
        problem = ProblemError(
            400,
            "the request body is not valid JSON",
            type_=MALFORMED_TYPE,
            title="Malformed request",
            errors=[FieldError(field="body", message="not valid JSON")],
        )
        return response_for(problem, request.url.path)
    return response_for(validation_problem(errors), request.url.path)


async def _on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else None
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no route matches {request.url.path}"
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
    problem = ProblemError(exc.status_code, detail, headers=dict(exc.headers or {}))
    return response_for(problem, request.url.path)


def field_error(error: Mapping[str, Any]) -> FieldError:
    """One pydantic error as a FieldError (also used by the fast path's own validation)."""
    return FieldError(field=_field_name(error.get("loc", ())), message=_message(error))


def _field_name(loc: Sequence[Any]) -> str:
    # ("body", "symbol") -> "body.symbol"; ("query", "limit") -> "query.limit".
    return ".".join(str(part) for part in loc) or "request"


def _message(error: Mapping[str, Any]) -> str:
    message = str(error.get("msg", "invalid value"))
    # pydantic prefixes ValueErrors raised by our validators; the reason reads better alone.
    return message.removeprefix("Value error, ")
