"""Helpers shared by the event schemas: the bar payload, read strictly (see fields.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..bar import Bar
from .fields import InvalidEvent, req_float, req_int, req_object

__all__ = ["InvalidEvent", "bar_from_payload", "bar_to_payload"]


def bar_to_payload(bar: Bar) -> dict[str, Any]:
    return {"t": bar.t, "o": bar.o, "h": bar.h, "l": bar.l, "c": bar.c, "v": bar.v}


def bar_from_payload(p: Mapping[str, Any]) -> Bar:
    """A bar from its fields; InvalidEvent for a wrong type, InvalidBar for bad values."""
    p = req_object(p, "a bar")
    return Bar(
        t=req_int(p, "t"),
        o=req_float(p, "o"),
        h=req_float(p, "h"),
        l=req_float(p, "l"),
        c=req_float(p, "c"),
        v=req_float(p, "v"),
    )
