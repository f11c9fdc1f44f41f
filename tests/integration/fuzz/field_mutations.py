"""Mutations of one field at a time: missing, wrong JSON type, NaN/Infinity, huge, long.

Each mutant says whether the contract still calls it valid (`strictly_valid`): a field
of the right JSON type and range is valid; a number sent as a string, a bool where a
number goes, a float where an integer goes, an int beyond 64 bits are not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pq_runtime.codec import encode

from .valid_events import FIELD_TYPES

RAW = "__PQ_FUZZ_RAW__"  # placeholder replaced by a raw JSON token after encoding

# Sample values and the JSON type each one is: a strict reader accepts it only if the
# field's contract type allows that JSON type.
SAMPLES: tuple[tuple[str, Any, str], ...] = (
    ("null", None, "null"),
    ("true", True, "bool"),
    ("string", "x", "str"),
    ("numeric_string", "12", "str"),
    ("nan_string", "NaN", "str"),
    ("infinity_string", "Infinity", "str"),
    ("float", 1.5, "float"),
    ("int", 7, "int"),
    ("list", [1, 2], "list"),
    ("object", {"a": 1}, "obj"),
)
ALLOWED: dict[str, set[str]] = {
    "num": {"int", "float"},
    "num?": {"int", "float", "null"},
    "int": {"int"},
    "int?": {"int", "null"},
    "int-": {"int"},
    "bool-": {"bool"},
    "ohlc": set(),  # open, close: any other number breaks low <= open, close <= high
    "high": set(),  # only a higher high (1e308) keeps the bar valid
    "low": {"int", "float"},  # 1.5 and 7 are lower lows: still valid
    "str": {"str"},
    "symbol": set(),  # only a valid EXCHANGE:CODE string: see SYMBOL_VALUES
    "interval": set(),  # only one of the intervals: see INTERVAL_VALUES
    "bars": set(),  # a list of bar objects: see BAR_LIST_VALUES
}
INVALID_SYMBOLS: tuple[Any, ...] = (
    "", "AAPL", ":AAPL", "NASDAQ:", "A:B:C", "NASDAQ: AAPL", "NASDAQ:AA\x00PL",
    "NASDAQ:AAPL\n", "X" * 65 + ":Y", "NASDAQ:" + "A" * 100_000, 7, None, ["NASDAQ:AAPL"],
)  # fmt: skip
INVALID_INTERVALS: tuple[Any, ...] = ("2m", "1H", "1D", "", "1h ", "60", 60, None, ["1h"])
BAR_LIST_VALUES: tuple[tuple[str, Any], ...] = (
    ("string", "abc"),
    ("int", 5),
    ("object", {"t": 1}),
    ("list_of_ints", [1, 2]),
    ("bar_missing_v", [{"t": 1, "o": 1.0, "h": 1.0, "l": 1.0, "c": 1.0}]),
    ("bar_t_string", [{"t": "x", "o": 1.0, "h": 1.0, "l": 1.0, "c": 1.0, "v": 1.0}]),
)
INT64_MAX = 2**63 - 1
RAW_NUMBERS = ("NaN", "Infinity", "-Infinity", "1e400", "-1e400", "9" * 5000)


Edit = Callable[[dict[str, Any]], bytes]  # a valid payload -> the mutated bytes
Mutation = tuple[str, Edit, bool]  # label, edit, still strictly valid


def field_mutations(event_type: str) -> Iterator[Mutation]:
    """Every single-field mutation of one event type (applied to a fresh valid payload each,
    so that a still-valid mutant never shares its natural key with another message)."""
    for field, kind in FIELD_TYPES[event_type].items():
        yield from _mutations_of(field, kind)
    yield "extra_fields", lambda p: encode({**p, "zz_extra": {"nested": [1, None]}}), True
    yield "empty_object", lambda p: b"{}", False


def _mutations_of(field: str, kind: str) -> Iterator[Mutation]:
    yield f"{field}.missing", _without(field), kind.endswith(("?", "-"))
    if kind == "symbol":
        for i, value in enumerate(INVALID_SYMBOLS):
            yield f"{field}.invalid_symbol_{i}", _with(field, value), False
        return
    if kind == "interval":
        for i, value in enumerate(INVALID_INTERVALS):
            yield f"{field}.unknown_interval_{i}", _with(field, value), False
        return
    if kind == "bars":
        for name, value in BAR_LIST_VALUES:
            yield f"{field}.{name}", _with(field, value), False
        yield f"{field}.empty", _with(field, []), True
        return
    for name, value, json_type in SAMPLES:
        yield f"{field}={name}", _with(field, value), json_type in ALLOWED[kind]
    for token in RAW_NUMBERS:
        label = token if len(token) < 12 else f"{len(token)}_digits"
        yield f"{field}=raw_{label}", _with_raw(field, token), False
    if kind.startswith("num") or kind in ("ohlc", "high", "low"):
        yield f"{field}=1e308", _with(field, 1e308), kind in ("num", "num?", "high")
    if kind.startswith("int"):
        yield f"{field}=2**63", _with(field, INT64_MAX + 1), False
        yield f"{field}=10**30", _with(field, 10**30), False
    if kind == "str":
        yield f"{field}=long_string", _with(field, "j" * 100_000), True


def _without(field: str) -> Edit:
    return lambda p: encode({k: v for k, v in p.items() if k != field})


def _with(field: str, value: Any) -> Edit:
    return lambda p: encode({**p, field: value})


def _with_raw(field: str, token: str) -> Edit:
    """JSON the encoder would refuse to write (NaN, 1e400...), spliced in as text."""

    def edit(p: dict[str, Any]) -> bytes:
        text = encode({**p, field: RAW}).decode()
        return text.replace(f'"{RAW}"', token, 1).encode()

    return edit
