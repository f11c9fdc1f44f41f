"""Opaque, stable page cursors: the last `t` a page returned and the direction, base64url.

Stable because they name a position in the key order, not an offset: bars inserted
before the position do not shift later pages. `v1` leaves room for another format.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Literal

Direction = Literal["asc", "desc"]
_VERSION = "v1"
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


class InvalidCursor(ValueError):
    """A cursor this service did not make (or made for the other sort order)."""


def opaque(text: str) -> str:
    """A page cursor's text as a client sees it: base64url, unpadded."""
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode("ascii")


def unwrap(token: str) -> str:
    """`opaque`'s text back, or InvalidCursor."""
    try:
        padded = token + "=" * (-len(token) % 4)
        return base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        raise InvalidCursor("not a cursor from next_cursor") from None


@dataclass(frozen=True, slots=True)
class Cursor:
    last_t: int
    direction: Direction

    def encode(self) -> str:
        return opaque(f"{_VERSION}:{self.direction[0]}:{self.last_t}")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        version, _, rest = unwrap(text).partition(":")
        direction, _, last = rest.partition(":")
        if version != _VERSION or direction not in ("a", "d") or not last.lstrip("-").isdigit():
            raise InvalidCursor("not a cursor from next_cursor")
        last_t = int(last)
        # A stored t is a signed 64-bit integer, and the next page starts one past it
        # (beyond, the store's driver refused the bound: a 500 instead of this 422).
        if not _INT64_MIN <= last_t < _INT64_MAX:
            raise InvalidCursor("not a cursor from next_cursor")
        return cls(last_t, "asc" if direction == "a" else "desc")
