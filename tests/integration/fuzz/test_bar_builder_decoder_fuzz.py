"""bar-builder's hot-path QuoteDecoder: any bytes and headers give a Quote or PoisonQuote.

bar-builder's partition worker is not a runtime BatchConsumer (partitioned stream, its own
tracking record), so its decoder is fuzzed directly; anything but PoisonQuote escaping it
makes the worker reload and re-fetch the same batch forever (see F1b in docs/fuzzing.md).
"""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pq_bar_builder.model.quote_decoder import PoisonQuote, QuoteDecoder
from pq_runtime.codec import encode
from pq_runtime.envelope import EVENT_TYPE, SCHEMA_VERSION

JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=80)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
QUOTE_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "symbol": st.sampled_from(["NASDAQ:AAPL", "A:B:C", "", "x" * 70]) | JSON_VALUES,
        "price": JSON_VALUES,
        "volume": JSON_VALUES,
        "ts": JSON_VALUES,
        "bid": JSON_VALUES,
    },
)
HEADERS = st.none() | st.fixed_dictionaries(
    {EVENT_TYPE: st.sampled_from(["QuoteReceived", "BarCompleted", ""])},
    optional={SCHEMA_VERSION: st.sampled_from(["1", "2", "", "x"])},
)


def _decode_or_poison(data: bytes, headers: dict[str, str] | None) -> None:
    with contextlib.suppress(PoisonQuote):
        QuoteDecoder().decode(data, headers)


@settings(max_examples=1500, deadline=None)
@given(st.binary(max_size=300), HEADERS)
def test_random_bytes(data: bytes, headers: dict[str, str] | None) -> None:
    _decode_or_poison(data, headers)


@settings(max_examples=600, deadline=None)
@given(QUOTE_FIELDS, HEADERS)
def test_random_quote_shaped_objects(
    fields: dict[str, Any], headers: dict[str, str] | None
) -> None:
    try:
        data = encode(fields)
    except ValueError:  # NaN/inf floats are not JSON: msgspec refuses to write them
        return
    _decode_or_poison(data, headers)
