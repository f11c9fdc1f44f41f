from __future__ import annotations

import pytest

from pq_runtime.codec import CodecError, decode, encode


def test_round_trip() -> None:
    payload = {"symbol": "NYSE:BRK.B", "price": 1.5, "bars": [{"t": 1}], "bid": None}
    assert decode(encode(payload)) == payload


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"{",
        b"\xff\xfe",
        b"[1, 2]",
        b'"text"',
        b"null",
        b'{"a": 1e400}',
        b'{"a": ' + b"9" * 5000 + b"}",
        b'{"a": "\xff"}',
        b"[" * 10_000 + b"]" * 10_000,  # RecursionError inside msgspec (F1)
        b'{"a": ' * 10_000 + b"1" + b"}" * 10_000,
    ],
    ids=lambda d: repr(d[:12]),
)
def test_bad_bytes_are_a_typed_error(data: bytes) -> None:
    with pytest.raises(CodecError):
        decode(data)


def test_unencodable_values_are_a_typed_error() -> None:
    with pytest.raises(CodecError):
        encode({"x": object()})
