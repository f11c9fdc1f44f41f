"""The projection's BarSynced reading gives the rows, or the error, the domain's gives."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pq_domain.events import BarSynced, InvalidEvent
from pq_query.handlers.synced_rows import synced_rows
from pq_query.model.bar_rows import BarSource, precedence

SEQ = 42
T0 = 1_704_067_200_000


def payload(chunk: list[Any], fields: dict[str, Any] | None = None) -> dict[str, Any]:
    p: dict[str, Any] = {
        "job_id": "job", "symbol": "nyse:brk.b", "interval": "1h", "chunk": 1, "chunks": 3,
        "bars": chunk,
    }  # fmt: skip
    p.update(fields or {})
    return p


def bar(t: Any = T0, o: Any = 2.0, h: Any = 3.0, l: Any = 1.0, c: Any = 2.5, v: Any = 7.0) -> Any:
    return {"t": t, "o": o, "h": h, "l": l, "c": c, "v": v}


def domain_rows(p: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The rows as built from the domain's own reading of the event."""
    e = BarSynced.from_payload(p)
    rank = precedence(BarSource.SYNCED, 0, SEQ)
    symbol, interval = str(e.symbol), e.interval.value
    return [
        (symbol, interval, b.t, b.o, b.h, b.l, b.c, b.v, "synced", 0, 0, SEQ, rank) for b in e.bars
    ]


def outcome(read: Any, p: dict[str, Any]) -> Any:
    try:
        return read(p)
    except Exception as exc:  # the domain's error, whatever it is, must be ours
        return type(exc), str(exc)


def same_outcome(p: dict[str, Any]) -> None:
    expected = outcome(domain_rows, p)
    if isinstance(expected, tuple):
        assert outcome(lambda p: synced_rows(p, SEQ), p) == expected
        return
    head, rows = synced_rows(p, SEQ)
    assert rows == expected
    assert [type(x) for r in rows for x in r] == [type(x) for r in expected for x in r]
    assert (head.job_id, head.chunk, head.chunks, head.bars) == ("job", 1, 3, ())


def test_a_valid_chunk_becomes_canonical_rows_of_the_synced_rank() -> None:
    p = payload([bar(T0), bar(T0 + 3_600_000, 1.0, 1.0, 1.0, 1.0, 0.0)])
    head, rows = synced_rows(p, SEQ)
    assert rows[0] == (
        "NYSE:BRK.B", "1h", T0, 2.0, 3.0, 1.0, 2.5, 7.0, "synced", 0, 0, SEQ,
        precedence(BarSource.SYNCED, 0, SEQ),
    )  # fmt: skip
    assert str(head.symbol) == "NYSE:BRK.B"
    same_outcome(p)


@pytest.mark.parametrize(
    "bars",
    [
        [bar(o=2)],  # an integer price: the domain's reading (a float)
        [bar(v=0)],
        [bar(t=True)],
        [bar(o=True)],
        [bar(t=2.0)],
        [bar(t=2**63)],
        [bar(t=-(2**63) - 1)],
        [bar(o=5.0)],  # open above high
        [bar(c=0.5)],  # close below low
        [bar(v=-1.0)],
        [bar(v=-0.0)],
        [bar(h=math.inf, c=2.0)],
        [bar(o=math.nan)],
        [bar(l=-math.inf)],
        [bar(h=2**70)],  # an integer too big for the domain
        [{"t": T0, "o": 1.0, "h": 1.0, "l": 1.0}],
        [bar(), "not a bar"],
        [bar(), None],
        [bar(), []],
        [],
    ],
)
def test_every_odd_bar_gets_the_domain_reading(bars: list[Any]) -> None:
    same_outcome(payload(bars))


@pytest.mark.parametrize(
    "fields",
    [
        {"job_id": ""},
        {"symbol": "AAPL"},
        {"interval": "2h"},
        {"chunk": "1"},
        {"chunk": "1", "bars": [bar(o=5.0)]},  # two errors: the domain reports the bar's
        {"bars": "not a list"},
        {"bars": None},
        {"chunks": True},
    ],
)
def test_every_odd_field_gets_the_domain_error(fields: dict[str, Any]) -> None:
    same_outcome(payload([bar()], fields))


def test_a_missing_bars_field_is_the_domain_error() -> None:
    p = payload([])
    del p["bars"]
    with pytest.raises(InvalidEvent, match="bars"):
        synced_rows(p, SEQ)


numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**65), max_value=2**65),
    st.booleans(),
    st.none(),
    st.text(max_size=3),
)
ordered = st.lists(st.floats(-1e6, 1e6), min_size=4, max_size=4).map(sorted)


@st.composite
def bars(draw: st.DrawFn) -> Any:
    if draw(st.booleans()):  # a valid bar, most of the time with float fields
        lo, a, b, hi = draw(ordered)
        o, c = draw(st.permutations([a, b]))
        return bar(draw(st.integers(-(2**63), 2**63 - 1)), o, hi, lo, c, draw(st.floats(0, 1e9)))
    fields = st.dictionaries(st.sampled_from("tohlcvx"), numbers, max_size=7)
    return draw(st.one_of(fields, numbers))


@settings(max_examples=400, deadline=None)
@given(st.lists(bars(), max_size=6))
def test_any_payload_reads_as_the_domain_reads_it(chunk: list[Any]) -> None:
    same_outcome(payload(chunk))
