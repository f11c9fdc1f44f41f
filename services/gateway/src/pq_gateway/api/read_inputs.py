"""The fast path's inputs, validated exactly as FastAPI validates its routes' inputs:
Starlette's query-string parsing (latin-1 bytes, blank values kept, the last of a repeated
name wins), the routes' own pydantic types, and their messages, so a problem names the
same fields in the same words whichever path answered."""

from __future__ import annotations

from typing import Annotated, TypeVar
from urllib.parse import parse_qsl

from pydantic import BaseModel, StringConstraints, TypeAdapter, ValidationError
from starlette.types import Scope

from pq_runtime.telemetry import CANONICAL_TRACEPARENT, current_traceparent

from .error_handlers import field_error
from .problems import ProblemError, validation_problem
from .routers.sync import JOB_ID_PATTERN

Model = TypeVar("Model", bound=BaseModel)

_JOB_ID = TypeAdapter(Annotated[str, StringConstraints(pattern=JOB_ID_PATTERN)])


def _problem(exc: ValidationError, location: str) -> ProblemError:
    errors = [field_error({**e, "loc": (location, *e["loc"])}) for e in exc.errors()]
    return validation_problem(errors)


def validated_query(model: type[Model], scope: Scope) -> Model:
    params = dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True))
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        raise _problem(exc, "query") from None


def validated_job_id(text: str) -> str:
    try:
        return _JOB_ID.validate_python(text)
    except ValidationError as exc:
        raise _problem(exc, "path.job_id") from None


def traceparent_of(scope: Scope) -> str | None:
    """As deps._traceparent: our span's, else the caller's first one when well-formed."""
    ours = current_traceparent()
    if ours:
        return ours
    for name, value in scope["headers"]:
        if name == b"traceparent":
            text = value.decode("latin-1")
            return text if CANONICAL_TRACEPARENT.fullmatch(text) else None
    return None
