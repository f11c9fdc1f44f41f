"""Live vs synced bars, revisions, replayed events, and a poison message on PQ_BARS."""

from __future__ import annotations

from pq_domain import Bar, Interval
from pq_domain.subjects import bars_synced_subject
from pq_runtime.messaging.dlq import ORIGINAL_SUBJECT

from .conftest import RunningQuery
from .events import T0, hourly_bars, publish_live, publish_sync, unique_symbol

M = 60_000


def flat(t: int, price: float) -> Bar:
    return Bar(t, price, price, price, price, 1.0)


async def closes(q: RunningQuery, symbol: str) -> dict[int, float]:
    page = await q.get_json("/v1/bars", symbol=symbol, interval="1m", start=T0)
    return {i: b["c"] for i, b in enumerate(page["bars"])}


async def test_synced_wins_over_live_and_higher_revisions_win(query_service: RunningQuery) -> None:
    js, symbol = query_service.js, unique_symbol()
    await publish_live(js, symbol, Interval.M1, flat(T0, 1.0))
    await publish_sync(js, "job-rec", symbol, Interval.M1, [flat(T0, 2.0)])
    await publish_live(js, symbol, Interval.M1, flat(T0, 3.0), revision=5)  # after the sync
    await publish_live(js, symbol, Interval.M1, flat(T0 + M, 10.0), revision=0)
    await publish_live(js, symbol, Interval.M1, flat(T0 + M, 12.0), revision=2)
    await publish_live(js, symbol, Interval.M1, flat(T0 + M, 11.0), revision=1)  # late, lower
    await query_service.projected()
    assert await closes(query_service, str(symbol)) == {0: 2.0, 1: 12.0}


async def test_replayed_events_change_nothing(query_service: RunningQuery) -> None:
    js, symbol = query_service.js, unique_symbol()
    bars = hourly_bars(1500)
    await publish_sync(js, "job-replay", symbol, Interval.H1, bars)
    await publish_live(js, symbol, Interval.H1, Bar(bars[-1].t + 3_600_000, 1, 2, 0.5, 1.5, 3))
    await query_service.projected()
    reader = query_service.resources.live.current.reader
    before = await reader.dump()
    # Same events again under new message ids (as after the duplicate window) and the same ids.
    await publish_sync(js, "job-replay", symbol, Interval.H1, bars, msg_prefix="again:")
    await publish_sync(js, "job-replay", symbol, Interval.H1, bars)
    await query_service.projected()
    after = await reader.dump()
    changed = {r for r in after if r[0] == "bar"} ^ {r for r in before if r[0] == "bar"}
    # The re-published copies carry later stream sequences: a later sync of the same bars
    # wins by the rule, with identical values. Nothing else may differ.
    assert all(r[1] == str(symbol) for r in changed)
    assert [r[:12] for r in after if r[0] == "bar"] == [r[:12] for r in before if r[0] == "bar"]
    assert [r for r in after if r[0] != "bar"] == [r for r in before if r[0] != "bar"]


async def test_a_poison_message_is_dead_lettered_while_the_rest_flows(
    query_service: RunningQuery,
) -> None:
    js, symbol = query_service.js, unique_symbol()
    subject = bars_synced_subject(symbol, Interval.H1)
    headers = {"Nats-Msg-Id": "poison-1", "Pq-Event-Type": "BarSynced", "Pq-Schema-Version": "1"}
    dlq = await js.pull_subscribe("pq.dlq.PQ_BARS", stream="PQ_DLQ")
    await js.publish(subject, b'{"job_id": "x", "bars": "not a list"}', headers=headers)
    await publish_sync(js, "job-after-poison", symbol, Interval.H1, hourly_bars(5))
    await query_service.projected()
    page = await query_service.get_json("/v1/bars", symbol=str(symbol), interval="1h")
    assert len(page["bars"]) == 5
    (dead,) = await dlq.fetch(1, timeout=5)
    assert dead.headers is not None
    assert dead.headers[ORIGINAL_SUBJECT] == subject
