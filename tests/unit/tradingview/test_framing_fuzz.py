"""Garbage never escapes the decoder as anything but FrameError."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pq_tradingview import FrameError, decode_message, encode_frame

# ~40 s of the unit run: property tests with thousands of examples each.
pytestmark = pytest.mark.slow

SCALARS = st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text()
PACKETS = st.dictionaries(
    st.text(max_size=5), SCALARS | st.lists(SCALARS, max_size=3), max_size=4
) | st.sampled_from(
    [
        {
            "m": "qsd",
            "p": ["qs_a", {"n": "KRX:005930", "s": "ok", "v": {"description": "삼성전자"}}],
        },
        {"m": "qsd", "p": ["qs_a", {"n": "BINANCE:PEPEUSDT", "v": {"description": "Pepe 🐸"}}]},
        {"m": "du", "p": ["cs_a", {"s1": {"s": [{"i": 1, "v": [1.0, 2.0, 3.0, 1.0, 2.5, 9.0]}]}}]},
    ]
)


def _decode_or_frame_error(message: str) -> None:
    with contextlib.suppress(FrameError):
        decode_message(message)


@settings(max_examples=3000, deadline=None)
@given(st.text(max_size=200))
def test_random_text_only_raises_frame_error(message: str) -> None:
    _decode_or_frame_error(message)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet='~mh0123456789{}[]":,a ', max_size=80))
def test_frame_shaped_noise_only_raises_frame_error(message: str) -> None:
    _decode_or_frame_error(message)


@settings(max_examples=1000, deadline=None)
@given(st.lists(PACKETS, min_size=1, max_size=4))
def test_valid_frames_round_trip(packets: list[dict[str, object]]) -> None:
    message = "".join(encode_frame(json.dumps(p, ensure_ascii=False)) for p in packets)
    assert decode_message(message) == packets


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(PACKETS, min_size=1, max_size=3),
    st.integers(min_value=0, max_value=10_000),
    st.sampled_from(["delete", "insert", "replace", "truncate", "length"]),
    st.text(min_size=1, max_size=3),
)
def test_mutated_frames_decode_or_raise_frame_error(
    packets: list[dict[str, object]], where: int, how: str, text: str
) -> None:
    message = "".join(encode_frame(json.dumps(p, ensure_ascii=False)) for p in packets)
    i = where % (len(message) + 1)
    if how == "delete":
        message = message[:i] + message[i + 1 :]
    elif how == "insert":
        message = message[:i] + text + message[i:]
    elif how == "replace":
        message = message[:i] + text + message[i + len(text) :]
    elif how == "truncate":
        message = message[:i]
    else:
        message = message.replace("~m~", f"~m~{where % 7}", 1)
    _decode_or_frame_error(message)
