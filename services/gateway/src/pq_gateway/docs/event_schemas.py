"""JSON Schemas of event payloads, built from the event dataclasses.

The payload's keys come from the event's own `to_payload()` on a sample instance made
from the field types (so the schema cannot list a key the wire does not carry); each
key's schema comes from the field's type hint. A nested dataclass field (a Bar) that
the payload flattens contributes its own fields.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

from pq_domain import Interval, Symbol

from .event_fields import describe

Schema = dict[str, Any]
_SCALARS: dict[type, tuple[Schema, Any]] = {
    str: ({"type": "string"}, "x"),
    int: ({"type": "integer"}, 1),
    float: ({"type": "number"}, 1.5),
    bool: ({"type": "boolean"}, False),
}
_SYMBOL: Schema = {"type": "string", "description": "EXCHANGE:CODE", "examples": ["NASDAQ:AAPL"]}


def _optional_inner(hint: Any) -> Any | None:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(hint)) == 2:
            return args[0]
    return None


def type_schema(hint: Any) -> Schema:
    inner = _optional_inner(hint)
    if inner is not None:
        return {"anyOf": [type_schema(inner), {"type": "null"}]}
    if hint in _SCALARS:
        return dict(_SCALARS[hint][0])
    if hint is Symbol:
        return dict(_SYMBOL)
    if hint is Interval:
        return {"type": "string", "enum": [i.value for i in Interval]}
    if typing.get_origin(hint) in (tuple, list):
        return {"type": "array", "items": type_schema(typing.get_args(hint)[0])}
    if dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        fields = [f.name for f in dataclasses.fields(hint)]
        return {
            "type": "object",
            "properties": {name: type_schema(hints[name]) for name in fields},
            "required": fields,
        }
    raise TypeError(f"no JSON Schema for {hint!r}")


def sample(hint: Any) -> Any:
    inner = _optional_inner(hint)
    if inner is not None:
        return sample(inner)
    if hint in _SCALARS:
        return _SCALARS[hint][1]
    if hint is Symbol:
        return Symbol.parse("NASDAQ:AAPL")
    if hint is Interval:
        return Interval.M1
    if typing.get_origin(hint) in (tuple, list):
        return (sample(typing.get_args(hint)[0]),)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = typing.get_type_hints(hint)
        return hint(**{f.name: sample(hints[f.name]) for f in dataclasses.fields(hint)})
    raise TypeError(f"no sample for {hint!r}")


def payload_schema(event_cls: type) -> Schema:
    """The JSON Schema of `event_cls().to_payload()`."""
    hints = typing.get_type_hints(event_cls)
    field_hints: dict[str, Any] = {}
    for f in dataclasses.fields(event_cls):
        field_hints[f.name] = hints[f.name]
        if dataclasses.is_dataclass(hints[f.name]):  # flattened into the payload
            nested = typing.get_type_hints(hints[f.name])
            field_hints.update({n: nested[n] for n in nested if n not in field_hints})
    payload = sample(event_cls).to_payload()
    properties = {
        key: type_schema(field_hints[key]) if key in field_hints else type_schema(type(value))
        for key, value in payload.items()
    }
    for key, prop in properties.items():
        _describe(event_cls.__name__, key, prop)
    schema: Schema = {"type": "object", "title": event_cls.__name__}
    doc = (event_cls.__doc__ or "").strip()
    if doc and not doc.startswith(f"{event_cls.__name__}("):  # not dataclass's own
        schema["description"] = " ".join(doc.split("\n\n")[0].split())
    return {**schema, "properties": properties, "required": list(payload)}


def _describe(event: str, field: str, prop: Schema) -> None:
    """The field's meaning and unit (event_fields.py), and its nested bars' fields too."""
    text = describe(event, field)
    if text is not None:
        prop["description"] = text
    items = prop.get("items", {})
    for name, inner in items.get("properties", {}).items():
        _describe(event, name, inner)
