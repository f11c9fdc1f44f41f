"""A rate policy, `<count>/<seconds>`: `count` requests per window, all of them at once
at most (GCRA with a burst of `count`); and the route classes the policies apply to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_settings import NoDecode

RouteClass = Literal["reads", "writes", "streams"]
# What a limiter key and the RateLimit headers name: a route class, or the budget of
# failed authentications per client address (ratelimit/auth_failures.py).
LimitClass = RouteClass | Literal["auth_failures"]
_SPEC = re.compile(r"\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*s?\s*")


@dataclass(frozen=True, slots=True)
class RateSpec:
    count: int
    window_s: float

    @property
    def emission_interval_ms(self) -> float:
        """GCRA's T: one request's share of the window."""
        return self.window_s * 1000.0 / self.count

    @property
    def tolerance_ms(self) -> float:
        """GCRA's tau: how far ahead of now the schedule may run (the burst of `count`)."""
        return self.window_s * 1000.0

    def __str__(self) -> str:
        return f"{self.count}/{self.window_s:g}"


def parse_rate(value: Any) -> RateSpec:
    if isinstance(value, RateSpec):
        return value
    match = _SPEC.fullmatch(str(value))
    if match is None or int(match[1]) < 1 or float(match[2]) <= 0:
        raise ValueError(f"give a rate as <count>/<seconds>, e.g. 1200/60 (got {value!r})")
    return RateSpec(int(match[1]), float(match[2]))


# NoDecode: pydantic-settings would otherwise try to read the env value as JSON.
RatePolicy = Annotated[
    RateSpec,
    NoDecode,
    BeforeValidator(parse_rate),
    PlainSerializer(str),
    WithJsonSchema({"type": "string", "pattern": r"^\d+/\d+(\.\d+)?$"}),
]


def route_class(method: str, path: str) -> RouteClass:
    """Reads are GET/HEAD, except the SSE stream; everything else writes."""
    if path.startswith("/v1/stream/events"):
        return "streams"
    return "reads" if method in ("GET", "HEAD") else "writes"
