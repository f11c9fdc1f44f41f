"""Reproducers of decoder findings (docs/fuzzing.md, F1b, F3, F6); xfail(strict) until fixed,
now guards of the fixes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, cast

import pytest
from redis.asyncio import Redis

from pq_bar_builder.model.quote_decoder import PoisonQuote, QuoteDecoder
from pq_domain.events import InvalidEvent, QuoteReceived
from pq_domain.subjects import quotes_subject
from pq_query.adapters.redis.quotes import LatestQuotes
from pq_query.handlers.quotes import DAY_MS, QuotesProjection
from pq_runtime.codec import encode
from pq_runtime.envelope import EVENT_TYPE, Envelope
from pq_runtime.messaging import Delivery, PermanentError
from pq_runtime.stores import NoTransaction

from .test_findings_consumers import DEEP

QUOTE_TS = 1_704_067_200_000
QUOTE = {"symbol": "NASDAQ:AAPL", "price": 101.5, "volume": 1000.0, "ts": QUOTE_TS}
YEAR_9999_MS = 253_402_300_799_000


def test_bar_builder_decoder_turns_deep_nesting_into_poison() -> None:
    with pytest.raises(PoisonQuote):
        QuoteDecoder().decode(DEEP, {EVENT_TYPE: "QuoteReceived"})


def test_quote_with_nan_price_string_is_invalid() -> None:
    with pytest.raises(InvalidEvent):
        QuoteReceived.from_payload({**QUOTE, "price": "NaN"})


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    try:
        yield client
    finally:
        await client.aclose()


def delivery(quote: QuoteReceived) -> Delivery:
    envelope = Envelope.of(quote, quotes_subject(quote.symbol))
    return Delivery(envelope, quote.to_payload(), 1, 1, msg=cast(Any, None))


async def test_far_future_quote_does_not_pin_the_latest_quote(redis_client: Redis) -> None:
    quotes = LatestQuotes(redis_client)
    symbol = "FUZZ:PIN" + encode({"n": id(quotes)}).hex()[-8:]  # this test's own key
    now_ms = QUOTE_TS
    projection = QuotesProjection(quotes, max_future_skew_ms=DAY_MS, clock_ms=lambda: now_ms)
    future = QuoteReceived.from_payload({**QUOTE, "symbol": symbol, "ts": YEAR_9999_MS})
    now = QuoteReceived.from_payload({**QUOTE, "symbol": symbol, "price": 102.0})
    with pytest.raises(PermanentError, match="future skew"):  # -> dead-lettered, not served
        await projection(NoTransaction(), [delivery(future)])
    await projection(NoTransaction(), [delivery(now)])
    body = await quotes.get(symbol.upper())
    assert body is not None
    assert b'"price":102.0' in body


async def test_a_quote_within_the_skew_is_served(redis_client: Redis) -> None:
    quotes = LatestQuotes(redis_client)
    symbol = "FUZZ:SKEW" + encode({"n": id(quotes)}).hex()[-8:]
    now_ms = QUOTE_TS
    projection = QuotesProjection(quotes, max_future_skew_ms=DAY_MS, clock_ms=lambda: now_ms)
    ahead = QuoteReceived.from_payload({**QUOTE, "symbol": symbol, "ts": now_ms + DAY_MS})
    await projection(NoTransaction(), [delivery(ahead)])
    assert await quotes.get(symbol.upper()) is not None
