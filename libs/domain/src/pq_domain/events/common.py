"""Helpers shared by the event schemas."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..bar import Bar


class InvalidEvent(ValueError):
    """A payload that does not match the event's schema."""


def req(payload: Mapping[str, Any], key: str) -> Any:
    try:
        return payload[key]
    except KeyError:
        raise InvalidEvent(f"missing field {key!r}") from None


def opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def bar_to_payload(bar: Bar) -> dict[str, Any]:
    return {"t": bar.t, "o": bar.o, "h": bar.h, "l": bar.l, "c": bar.c, "v": bar.v}


def bar_from_payload(p: Mapping[str, Any]) -> Bar:
    return Bar(
        t=int(req(p, "t")),
        o=float(req(p, "o")),
        h=float(req(p, "h")),
        l=float(req(p, "l")),
        c=float(req(p, "c")),
        v=float(req(p, "v")),
    )
