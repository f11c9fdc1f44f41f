"""A poison quote goes to the DLQ while its partition keeps flowing; forming bars appear on
pq.live.bars.> (core NATS), throttled per symbol and interval."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import defaultdict

from nats.aio.client import Client
from nats.aio.msg import Msg

from pq_bar_builder.bootstrap import running_service
from pq_domain.events import QuoteReceived
from pq_domain.subjects import LIVE_BARS_ALL, dlq_subject, quotes_subject
from pq_runtime.codec import decode
from tests.support.waiting import wait_for

from .bars_reader import completed_bars, dead_letters
from .conftest import SettingsFactory
from .quotes import START_MS, envelope_of, expected_bars, publish_quotes, quote_stream, symbols

DLQ = dlq_subject("PQ_QUOTES_PARTITIONED")


async def test_poison_is_dead_lettered_and_the_partition_keeps_flowing(
    nc: Client, bar_builder_settings: SettingsFactory
) -> None:
    settings = bar_builder_settings(partition_count=1, partitions=(0,))  # one partition for all
    quotes = quote_stream(symbols(3), 200)
    js = nc.jetstream()
    async with running_service(settings):
        await publish_quotes(js, quotes[:300])
        subject = quotes_subject(quotes[0].symbol)
        await js.publish(
            subject,
            b"{not json",
            headers={"Nats-Msg-Id": "poison-1", "Pq-Event-Type": "QuoteReceived"},
        )
        await js.publish(subject, b"{}", headers={"Nats-Msg-Id": "poison-2"})  # no event type
        await publish_quotes(js, quotes[300:])
        expected = expected_bars(quotes, settings.aggregator_config())

        async def all_bars() -> bool:
            return len(await completed_bars(js)) >= len(expected)

        await wait_for(all_bars, timeout=30, what="bars after the poison")
    assert await completed_bars(js) == expected
    letters = await dead_letters(js, DLQ)
    assert [(m.headers or {}).get("Pq-Original-Msg-Id") for m in letters] == [
        "poison-1",
        "poison-2",
    ]
    assert all("Pq-Error" in (m.headers or {}) for m in letters)


async def test_provisional_bars_are_published_and_throttled(
    nc: Client, bar_builder_settings: SettingsFactory
) -> None:
    settings = bar_builder_settings(live_bars_per_s=4.0)
    arrivals: dict[str, list[float]] = defaultdict(list)
    payloads: list[dict[str, object]] = []

    async def on_live(msg: Msg) -> None:
        arrivals[msg.subject].append(time.monotonic())
        payloads.append(decode(msg.data))
        assert (msg.headers or {}).get("Pq-Event-Type") == "BarUpdated"

    sub = await nc.subscribe(LIVE_BARS_ALL, cb=on_live)
    js = nc.jetstream()
    symbol = symbols(1)[0]
    async with running_service(settings):
        started = time.monotonic()
        k = 0
        while time.monotonic() - started < 2.0:  # ~100 quotes/s for 2 s: 1 per 10 ms
            q = QuoteReceived(symbol, 100.0 + k % 7, float(k), START_MS + k * 100)  # in session
            e = envelope_of(q)
            await js.publish_async(e.subject, e.payload, headers=e.headers())
            k += 1
            await asyncio.sleep(0.01)

        async def last_state_published() -> bool:
            return any(p["ticks"] == k for p in payloads if p["interval"] == "1d")

        await wait_for(last_state_published, timeout=5, what="the burst's last forming bar")
    await sub.unsubscribe()
    assert len(arrivals) == 8  # one subject per interval
    for subject, times in arrivals.items():
        assert subject.startswith("pq.live.bars.NASDAQ.S00.")
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert len(times) <= 2.0 * 4 + 3, subject  # ~4/s, not ~100/s
        assert min(gaps) >= 0.2, subject  # 250 ms windows, some scheduling slack
