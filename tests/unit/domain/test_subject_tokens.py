import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pq_domain import Interval, Symbol
from pq_domain.subject_tokens import (
    InvalidToken,
    escape_token,
    symbol_from_tokens,
    symbol_tokens,
    unescape_token,
)
from pq_domain.subjects import (
    bars_completed_subject,
    live_bars_subject,
    quotes_subject,
    symbol_of_subject,
)

# What a NATS token may safely hold: printable ASCII without separators or wildcards.
_TOKEN_CHARS = set(string.ascii_letters + string.digits + "_-!~")
any_text = st.text(min_size=1, max_size=30)
tricky_text = st.text(alphabet=st.sampled_from(list(".*> \t\n~é漢🙂:_-!aZ9\x00")), min_size=1)


@settings(max_examples=300)
@given(st.one_of(any_text, tricky_text))
def test_any_text_survives_escaping_into_one_valid_token(text: str) -> None:
    token = escape_token(text)
    assert token
    assert set(token) <= _TOKEN_CHARS
    assert unescape_token(token) == text


@settings(max_examples=200)
@given(st.one_of(any_text, tricky_text), st.one_of(any_text, tricky_text))
def test_symbol_survives_every_subject(exchange: str, code: str) -> None:
    symbol = Symbol(exchange, code)
    exchange_token, code_token = symbol_tokens(symbol).split(".")
    assert symbol_from_tokens(exchange_token, code_token) == symbol
    for subject in (
        quotes_subject(symbol),
        bars_completed_subject(symbol, Interval.M5),
        live_bars_subject(symbol, Interval.MN1),
    ):
        assert symbol_of_subject(subject) == symbol


@pytest.mark.parametrize(
    ("text", "token"),
    [("BRK.B", "BRK~2EB"), ("ES1!", "ES1!"), ("A B", "A~20B"), ("~", "~7E"), ("é", "~C3~A9")],
)
def test_documented_escapes(text: str, token: str) -> None:
    assert escape_token(text) == token


@pytest.mark.parametrize("token", ["", "A.B", "A~2", "A~ZZ", "A~FF", "*", ">"])
def test_tokens_no_symbol_escapes_to_are_rejected(token: str) -> None:
    with pytest.raises(InvalidToken):
        unescape_token(token)


def test_subject_of_a_symbol_with_dots_has_the_documented_shape() -> None:
    symbol = Symbol.parse("NYSE:BRK.B")
    assert bars_completed_subject(symbol, Interval.H1) == "pq.bars.completed.NYSE.BRK~2EB.1h"
