"""Strict reading of event payload fields: the JSON type the contract gives, or InvalidEvent.

No coercion: a bool is not a number, "12" is not an integer, 1.5 is not an integer, "NaN"
is not a price. Numbers are finite; integers (epoch ms, counts) fit in 64 bits, as every
store and consumer of the contract assumes. `req_*` fields must be present; `opt_*` ones
may be absent (-> the default) but not null; `nullable_*` ones may be absent or null.

These run on the hot path of the quote consumers: exact `type(...) is` checks, no
isinstance chains.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

_isfinite = math.isfinite  # a local name: one lookup less per field on the hot path
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


class InvalidEvent(ValueError):
    """A payload that does not match the event's schema."""


def req(p: Mapping[str, Any], key: str) -> Any:
    """The raw value of a required field, whatever its type."""
    try:
        return p[key]
    except KeyError:
        raise InvalidEvent(f"missing field {key!r}") from None


def req_int(p: Mapping[str, Any], key: str) -> int:
    value = req(p, key)
    if type(value) is int and INT64_MIN <= value <= INT64_MAX:  # the common case, inline
        return value
    return _int(key, value)


def opt_int(p: Mapping[str, Any], key: str, default: int) -> int:
    return _int(key, p[key]) if key in p else default


def nullable_int(p: Mapping[str, Any], key: str) -> int | None:
    value = p.get(key)
    return None if value is None else _int(key, value)


def req_float(p: Mapping[str, Any], key: str) -> float:
    value = req(p, key)
    if type(value) is float and _isfinite(value):  # the common case, inline
        return value
    return _float(key, value)


def nullable_float(p: Mapping[str, Any], key: str) -> float | None:
    value = p.get(key)
    if value is None or (type(value) is float and _isfinite(value)):
        return value
    return _float(key, value)


def req_str(p: Mapping[str, Any], key: str, *, empty_ok: bool = False) -> str:
    value = req(p, key)
    if type(value) is not str:
        raise InvalidEvent(f"field {key!r} must be a string, got {_json_type(value)}")
    if not value and not empty_ok:
        raise InvalidEvent(f"field {key!r} must not be empty")
    return value


def opt_str(p: Mapping[str, Any], key: str, default: str) -> str:
    return req_str(p, key, empty_ok=True) if key in p else default


def opt_bool(p: Mapping[str, Any], key: str, default: bool) -> bool:
    if key not in p:
        return default
    value = p[key]
    if type(value) is not bool:
        raise InvalidEvent(f"field {key!r} must be true or false, got {_json_type(value)}")
    return value


def req_list(p: Mapping[str, Any], key: str) -> list[Any]:
    value = req(p, key)
    if type(value) is not list:
        raise InvalidEvent(f"field {key!r} must be a list, got {_json_type(value)}")
    return value


def req_object(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidEvent(f"{what} must be an object, got {_json_type(value)}")
    return value


def _int(key: str, value: Any) -> int:
    # `type is int` also refuses bool, which is a subclass of int.
    if type(value) is not int:
        raise InvalidEvent(f"field {key!r} must be an integer, got {_json_type(value)}")
    if not INT64_MIN <= value <= INT64_MAX:
        raise InvalidEvent(f"field {key!r} is outside the 64-bit integer range")
    return value


def _float(key: str, value: Any) -> float:
    kind = type(value)
    if kind is float:
        if _isfinite(value):
            return float(value)
    elif kind is int:
        # A JSON integer is a number too; one too big for a float is not a usable one.
        if INT64_MIN <= value <= INT64_MAX:
            return float(value)
    else:
        raise InvalidEvent(f"field {key!r} must be a number, got {_json_type(value)}")
    raise InvalidEvent(f"field {key!r} must be a finite number, got {value!r:.40}")


def _json_type(value: Any) -> str:
    """The JSON name of a decoded value's type, for error messages."""
    if value is None:
        return "null"
    return _JSON_TYPES.get(type(value), type(value).__name__)


_JSON_TYPES: dict[type, str] = {
    bool: "a boolean",
    int: "an integer",
    float: "a float",
    str: "a string",
    list: "a list",
    dict: "an object",
}
