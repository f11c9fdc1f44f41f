"""Quotes on pq.quotes.<ex>.<code> -> BarCompleted on pq.bars.completed.>, equal to what a
fresh domain aggregator expects; the partitioned stream spreads symbols, one partition each."""

from __future__ import annotations

import contextlib
from collections import defaultdict

from nats.aio.client import Client
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.errors import NotFoundError, ServiceUnavailableError

from pq_bar_builder.adapters.partitioned_stream import (
    PARTITIONED_STREAM,
    consumer_name,
    partition_of_subject,
)
from pq_bar_builder.bootstrap import running_service
from pq_domain.subject_tokens import symbol_from_tokens
from tests.support.waiting import wait_for

from .bars_reader import completed_bars, completed_messages
from .conftest import SettingsFactory
from .quotes import expected_bars, publish_quotes, quote_stream, symbols


async def test_bars_equal_the_domain_expectation(
    nc: Client, bar_builder_settings: SettingsFactory
) -> None:
    settings = bar_builder_settings()
    quotes = quote_stream(symbols(12), 400)  # ~6.7 minutes of event time per symbol
    expected = expected_bars(quotes, settings.aggregator_config())
    js = nc.jetstream()
    async with running_service(settings):
        await publish_quotes(js, quotes)

        async def all_bars() -> bool:
            return len(await completed_bars(js)) >= len(expected)

        await wait_for(all_bars, timeout=30, what="every expected BarCompleted")
    got = await completed_messages(js)
    assert dict(got) == expected
    assert len(got) == len(expected)  # none doubled in the stream


async def test_each_symbol_lands_in_exactly_one_partition(
    nc: Client, bar_builder_settings: SettingsFactory
) -> None:
    settings = bar_builder_settings(partitions=(), partition_count=8)  # leases, all 8
    quotes = quote_stream(symbols(24), 3)
    js = nc.jetstream()
    async with running_service(settings):
        await publish_quotes(js, quotes)

        async def sourced() -> dict[str, int]:
            info = await js.stream_info(PARTITIONED_STREAM, subjects_filter=">")
            return (info.state.subjects or {}) if info.state.messages == len(quotes) else {}

        subjects = await wait_for(sourced, timeout=10, what="quotes sourced")
    partitions_of = defaultdict(set)
    for subject, count in subjects.items():
        _, _, _p, ex, code = subject.split(".")
        assert count == 3
        partitions_of[symbol_from_tokens(ex, code)].add(partition_of_subject(subject))
    assert len(partitions_of) == 24
    assert all(len(ps) == 1 for ps in partitions_of.values())
    assert len(set().union(*partitions_of.values())) >= 4  # spread, not all in one


async def test_deliveries_taken_by_another_puller_of_the_consumer_are_not_lost(
    nc: Client, bar_builder_settings: SettingsFactory
) -> None:
    """An old owner still pulling on a partition's durable after a take-over receives
    deliveries this worker never sees; the worker's ack (AckPolicy ALL) must not
    acknowledge them away. It notices the missing delivery numbers, recreates the
    consumer from its stored position, and every quote still counts."""
    settings = bar_builder_settings(partition_count=1, partitions=(0,))
    quotes = quote_stream(symbols(4), 300)
    expected = expected_bars(quotes, settings.aggregator_config())
    js = nc.jetstream()
    stolen: list[int] = []
    async with running_service(settings):
        thief = await js.pull_subscribe_bind(durable=consumer_name(0), stream=PARTITIONED_STREAM)
        for start in range(0, len(quotes), 100):
            await publish_quotes(js, quotes[start : start + 100])
            # Nothing to take, or the worker is recreating the consumer just then.
            with contextlib.suppress(NatsTimeoutError, ServiceUnavailableError, NotFoundError):
                for msg in await thief.fetch(3, timeout=0.5):  # taken, never acked
                    stolen.append(msg.metadata.sequence.stream)
        await thief.unsubscribe()

        async def all_bars() -> bool:
            return len(await completed_bars(js)) >= len(expected)

        await wait_for(all_bars, timeout=30, what="every expected BarCompleted")
    assert stolen, "the other puller got no delivery: nothing was tested"
    got = await completed_messages(js)
    assert dict(got) == expected
