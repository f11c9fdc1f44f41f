"""Rebuild: replay PQ_BARS into a fresh model, swap it in; it equals the model it replaced."""

from __future__ import annotations

from pq_domain import Bar, Interval
from pq_domain.instants import format_instant
from pq_domain.subjects import bars_completed_subject

from .conftest import RunningQuery
from .events import T0, H, hourly_bars, publish_live, publish_meta, publish_sync, unique_symbol


async def test_the_rebuilt_model_equals_the_replaced_one_and_stays_live(
    query_service: RunningQuery,
) -> None:
    js = query_service.js
    # 24x7 symbols: their intraday keys are UTC multiples, as these bars have (see the
    # next test for a NASDAQ symbol's bars keyed that way).
    a, b = unique_symbol("BINANCE"), unique_symbol("COINBASE")
    await publish_meta(js, a)
    await publish_meta(js, a, at=T0 + 5)  # a later resolution wins
    await publish_sync(js, "job-r1", a, Interval.H1, hourly_bars(2300))
    await publish_sync(js, "job-r2", a, Interval.H1, hourly_bars(50, base=7.0))  # re-sync
    for revision, close in ((0, 1.5), (2, 1.7), (1, 1.6)):
        await publish_live(js, b, Interval.M5, Bar(T0, 1, 2, 1, close, 9), revision)
    await publish_live(js, a, Interval.H1, Bar(T0, 1, 2, 1, 1.5, 9))  # loses to synced
    headers = {"Nats-Msg-Id": "poison-r", "Pq-Event-Type": "BarCompleted"}
    await js.publish(bars_completed_subject(b, Interval.M5), b"{not json", headers=headers)
    await query_service.projected()

    live = query_service.resources.live
    replaced_generation = live.current.generation
    before = await live.current.reader.dump()
    bars_before = await query_service.get_json("/v1/bars", symbol=str(a), interval="1h", limit=5000)

    answer = await query_service.client.post("/internal/projections/bars/rebuild")
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["generation"] == replaced_generation + 1 == live.current.generation
    assert report["skipped"] == 1  # the poison message, dead-lettered by the live consumer too
    assert await live.current.reader.dump() == before
    assert (
        await query_service.get_json("/v1/bars", symbol=str(a), interval="1h", limit=5000)
        == bars_before
    )

    # The live consumer resumed into the new generation.
    await publish_live(js, a, Interval.H1, Bar(T0 + 5000 * H, 1, 2, 1, 1.5, 9))
    await query_service.projected()
    page = await query_service.get_json("/v1/bars", symbol=str(a), interval="1h", limit=5000)
    assert len(page["bars"]) == len(bars_before["bars"]) + 1


async def test_a_rebuild_leaves_out_bars_keyed_by_the_old_utc_rule(
    query_service: RunningQuery,
) -> None:
    js = query_service.js
    stock = unique_symbol("NASDAQ")
    day = T0 + 24 * H  # 2024-01-02, a Tuesday: NASDAQ opens 14:30 UTC (09:30 New York)
    old = [Bar(day + k * H, 1, 2, 1, 1.5, 9) for k in (14, 15, 16)]  # 09:00, 10:00, 11:00 NY
    new = [Bar(day + 14 * H + H // 2 + k * H, 1, 2, 1, 1.5, 9) for k in range(3)]  # 09:30 ...
    for bar in old + new:
        await publish_live(js, stock, Interval.H1, bar)
    five = Bar(day + 15 * H, 1, 2, 1, 1.5, 9)  # 10:00 NY: a key of both rules for 5m
    await publish_live(js, stock, Interval.M5, five)
    await query_service.projected()

    answer = await query_service.client.post("/internal/projections/bars/rebuild")
    assert answer.status_code == 200, answer.text
    assert answer.json()["old_keys_dropped"] >= len(old)  # other tests' bars count too
    page = await query_service.get_json("/v1/bars", symbol=str(stock), interval="1h")
    assert [b["t"] for b in page["bars"]] == [format_instant(b.t) for b in new]
    page = await query_service.get_json("/v1/bars", symbol=str(stock), interval="5m")
    assert [b["t"] for b in page["bars"]] == [format_instant(five.t)]
