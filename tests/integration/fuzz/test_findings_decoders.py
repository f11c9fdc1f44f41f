"""Reproducers of decoder findings (docs/fuzzing.md, F1b, F3, F6); xfail(strict) like F1/F2."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from pq_bar_builder.aggregation.quote_decoder import PoisonQuote, QuoteDecoder
from pq_domain.events import InvalidEvent, QuoteReceived
from pq_query.adapters.redis.quotes import LatestQuotes
from pq_runtime.codec import encode
from pq_runtime.envelope import EVENT_TYPE

from .test_findings_consumers import DEEP

QUOTE = {"symbol": "NASDAQ:AAPL", "price": 101.5, "volume": 1000.0, "ts": 1_704_067_200_000}


@pytest.mark.xfail(strict=True, raises=RecursionError, reason="F1b: escapes as RecursionError")
def test_bar_builder_decoder_turns_deep_nesting_into_poison() -> None:
    with pytest.raises(PoisonQuote):
        QuoteDecoder().decode(DEEP, {EVENT_TYPE: "QuoteReceived"})


@pytest.mark.xfail(strict=True, reason="F3: float('NaN') accepts the string 'NaN' as a price")
def test_quote_with_nan_price_string_is_invalid() -> None:
    with pytest.raises(InvalidEvent):
        QuoteReceived.from_payload({**QUOTE, "price": "NaN"})


def test_nan_price_quote_reaches_the_public_body_as_null() -> None:
    """What F3 does today: the latest-quote body the gateway serves carries "price": null."""
    from pq_query.adapters.redis.quotes import quote_body

    quote = QuoteReceived.from_payload({**QUOTE, "price": "NaN"})
    assert math.isnan(quote.price)
    assert b'"price":null' in quote_body(quote)


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    try:
        yield client
    finally:
        await client.aclose()


@pytest.mark.xfail(
    strict=True, reason="F6: a quote stamped in year 9999 pins the latest quote forever"
)
async def test_far_future_quote_does_not_pin_the_latest_quote(redis_client: Redis) -> None:
    quotes = LatestQuotes(redis_client)
    symbol = "FUZZ:PIN" + encode({"n": id(quotes)}).hex()[-8:]  # this test's own key
    future = QuoteReceived.from_payload({**QUOTE, "symbol": symbol, "ts": 253_402_300_799_000})
    now = QuoteReceived.from_payload({**QUOTE, "symbol": symbol, "price": 102.0})
    await quotes.put_many([future])
    await quotes.put_many([now])
    body = await quotes.get(symbol.upper())
    assert body is not None
    assert b'"price":102.0' in body
