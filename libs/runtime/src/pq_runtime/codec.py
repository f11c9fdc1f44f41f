"""The wire codec: JSON payloads <-> bytes, with msgspec (chosen on bench_codec.py figures).

Decoding never crashes the caller with a library-specific error: bad bytes become
`CodecError`, which consumers route to the dead-letter subject.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder()


class CodecError(ValueError):
    """Bytes that are not a JSON object, or a value that cannot be encoded."""


def encode(payload: Mapping[str, Any]) -> bytes:
    """A JSON object as UTF-8 bytes."""
    try:
        return _encoder.encode(payload)
    except (TypeError, ValueError, OverflowError) as exc:
        raise CodecError(f"cannot encode payload: {exc}") from exc


def decode(data: bytes) -> dict[str, Any]:
    """UTF-8 JSON bytes as a dict; anything else (bad JSON, not an object) is `CodecError`."""
    try:
        value = _decoder.decode(data)
    except RecursionError:
        # msgspec recurses per nesting level and gives up near the interpreter's limit
        # (how near depends on the caller's stack): hostile input, not a bug of ours.
        raise CodecError("payload is nested too deeply") from None
    except Exception as exc:
        # Whatever the decoder raises is about the bytes (DecodeError, UnicodeDecodeError,
        # out-of-range numbers, ...): consumers must see one typed error, never a crash.
        raise CodecError(f"payload is not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise CodecError(f"payload is a JSON {type(value).__name__}, not an object")
    return value
