"""The `~m~<len>~m~<payload>` frame codec.

`<len>` is a JavaScript string length: UTF-16 code units, not bytes and not code points.
Nearly every message is ASCII (the server escapes nothing, but symbols and numbers are ASCII),
so the decoder slices the `str` by the declared length directly; only when a character outside
the BMP is present (it takes two UTF-16 units) does it correct the slice ends for those.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import FrameError

FRAME_MARK = "~m~"
HEARTBEAT_MARK = "~h~"
_MAX_LENGTH_DIGITS = 9  # 1 GB of payload: anything longer is garbage, and int() stays cheap

# The C scanner json.loads ends in, called directly: it skips two whitespace regex calls.
_scan_json: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """A `~h~N` packet; the client echoes `payload` back unchanged."""

    payload: str


Packet = Heartbeat | dict[str, Any]


def encode_frame(payload: str) -> str:
    """Wrap one payload in its `~m~<len>~m~` header (length in UTF-16 code units)."""
    if payload.isascii():
        length = len(payload)
    else:
        length = len(payload.encode("utf-16-le", "surrogatepass")) // 2
    return f"{FRAME_MARK}{length}{FRAME_MARK}{payload}"


def encode_packet(method: str, params: list[Any], *, ensure_ascii: bool = True) -> str:
    """A framed `{"m":..,"p":..}` packet as compact JSON, the way clients send it."""
    body = json.dumps({"m": method, "p": params}, separators=(",", ":"), ensure_ascii=ensure_ascii)
    return encode_frame(body)


def encode_heartbeat(counter: int) -> str:
    return encode_frame(f"{HEARTBEAT_MARK}{counter}")


def decode_message(message: str) -> list[Packet]:
    """Split one WebSocket text message into its packets; raise FrameError on any garbage."""
    if message.isascii():
        return _decode(message, astral=False)
    # Only characters outside the BMP make UTF-16 units and code points differ; encoding BMP
    # text is a near-memcpy, far cheaper than scanning it for them.
    astral = len(message.encode("utf-16-le", "surrogatepass")) != 2 * len(message)
    return _decode(message, astral=astral)


def _decode(message: str, *, astral: bool) -> list[Packet]:
    packets: list[Packet] = []
    end_of_message = len(message)
    pos = 0
    while pos < end_of_message:
        if not message.startswith(FRAME_MARK, pos):
            raise FrameError(f"expected '~m~' at offset {pos}")
        header_end = message.find(FRAME_MARK, pos + 3, pos + 6 + _MAX_LENGTH_DIGITS)
        if header_end < 0:
            raise FrameError(f"unterminated frame header at offset {pos}")
        start = header_end + 3
        length = _parse_length(message[pos + 3 : header_end])
        end = start + length
        payload = message[start:end]
        if astral and not payload.isascii():  # isascii() is O(1) on a fresh ASCII substring
            end = _astral_end(message, start, length)
            payload = message[start:end]
        if end > end_of_message:
            raise FrameError(f"frame at offset {pos} is longer than the message")
        packets.append(_parse_payload(payload))
        pos = end
    return packets


def _astral_end(message: str, start: int, units: int) -> int:
    """The index `units` UTF-16 code units after `start`, in text with non-BMP characters."""
    end = min(start + units, len(message))
    excess = len(message[start:end].encode("utf-16-le", "surrogatepass")) // 2 - units
    while excess > 0:  # each non-BMP character in the slice took one unit too many
        end -= 1
        excess -= 2 if message[end] > "\uffff" else 1
    if excess < 0:
        raise FrameError(
            f"frame at offset {start} is longer than the message or splits a character"
        )
    return end


def _parse_length(digits: str) -> int:
    # str.isdigit() alone accepts '²' and other non-ASCII digits int() may or may not take
    if not digits or not digits.isascii() or not digits.isdigit():
        raise FrameError(f"frame length {digits[:20]!r} is not a decimal number")
    return int(digits)


def _parse_payload(payload: str) -> Packet:
    if payload.startswith(HEARTBEAT_MARK):
        return Heartbeat(payload)
    try:
        value, end = _scan_json(payload, 0)
    except (ValueError, StopIteration, RecursionError) as exc:
        raise FrameError(f"payload is not JSON: {payload[:60]!r}") from exc
    if end != len(payload):
        raise FrameError(f"trailing data after JSON payload: {payload[end : end + 40]!r}")
    if type(value) is not dict:
        raise FrameError(f"payload is not a JSON object: {payload[:60]!r}")
    return value
