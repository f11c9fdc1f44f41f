"""Schedules in the PQ_SCHEDULES KV bucket: what the gateway writes, ingest-history reads.

The entry is read back raw and decoded with ingest-history's own `Schedule` (the
reference encoder of the schema), so the test fails when the two sides disagree.
"""

from __future__ import annotations

import time

import httpx
from nats.aio.client import Client
from nats.js.errors import KeyNotFoundError

from pq_domain import Interval, Symbol
from pq_domain.schedule import Schedule
from pq_ingest_history.adapters.schedules_bucket import KvScheduleBucket
from pq_runtime.codec import decode


async def test_put_writes_the_entry_ingest_history_reads(gateway_url: str, nc: Client) -> None:
    before_ms = int(time.time() * 1000)
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        created = await http.put(
            "/v1/schedules/NYSE%3ABRK.B", json={"interval": "1h", "every": "PT1H", "bars": 500}
        )
        assert created.status_code == 201, created.text
        assert created.headers["location"] == "/v1/schedules/NYSE%3ABRK.B"
        assert created.json()["symbol"] == "NYSE:BRK.B"
        assert created.json()["every_s"] == 3600

    kv = await nc.jetstream().key_value("PQ_SCHEDULES")
    stored = await kv.get("NYSE.BRK~2EB.1h", validate_keys=False)
    raw = decode(stored.value or b"")
    assert set(raw) == {"symbol", "interval", "every_s", "bars", "next_due_ms"}
    schedule = Schedule.from_payload(raw, now_ms=0)
    assert schedule.key == stored.key
    assert schedule.symbol == Symbol.parse("NYSE:BRK.B")
    assert schedule.interval is Interval.H1
    assert (schedule.every_s, schedule.bars) == (3600, 500)
    assert before_ms <= schedule.next_due_ms <= int(time.time() * 1000)  # due at once
    assert schedule.to_payload() == raw

    # ingest-history's own bucket adapter sees it (and opens the bucket the gateway made).
    entries = await (await KvScheduleBucket.open(nc.jetstream())).entries()
    assert [e.schedule for e in entries] == [schedule]


async def test_replace_read_and_delete(gateway_url: str, nc: Client) -> None:
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        body = {"interval": "1d", "every": 86400, "bars": 100}
        assert (await http.put("/v1/schedules/CME_MINI:ES1!", json=body)).status_code == 201
        body = {"interval": "1d", "every": "2h", "bars": 200}
        replaced = await http.put("/v1/schedules/cme_mini:es1!", json=body)
        assert replaced.status_code == 200, replaced.text
        assert (replaced.json()["every_s"], replaced.json()["bars"]) == (7200, 200)
        body = {"interval": "15m", "every": 900, "bars": 50}
        assert (await http.put("/v1/schedules/CME_MINI:ES1!", json=body)).status_code == 201
        body = {"interval": "1h", "every": 3600, "bars": 10}
        assert (await http.put("/v1/schedules/NASDAQ:AAPL", json=body)).status_code == 201

        mine = (await http.get("/v1/schedules/CME_MINI%3AES1!")).json()["schedules"]
        assert [(s["interval"], s["every_s"]) for s in mine] == [("15m", 900), ("1d", 7200)]
        listed = (await http.get("/v1/schedules")).json()["schedules"]
        assert [(s["symbol"], s["interval"]) for s in listed] == [
            ("CME_MINI:ES1!", "15m"),
            ("CME_MINI:ES1!", "1d"),
            ("NASDAQ:AAPL", "1h"),
        ]
        assert (await http.get("/v1/schedules/NYSE:BRK.B")).json() == {"schedules": []}

        kv = await nc.jetstream().key_value("PQ_SCHEDULES")
        raw = decode((await kv.get("CME_MINI.ES1!.1d", validate_keys=False)).value or b"")
        assert Schedule.from_payload(raw, now_ms=0).every_s == 7200

        gone = await http.delete("/v1/schedules/CME_MINI:ES1!", params={"interval": "1d"})
        assert gone.status_code == 204
        try:
            await kv.get("CME_MINI.ES1!.1d", validate_keys=False)
            raise AssertionError("the schedule is still in the bucket")
        except KeyNotFoundError:
            pass
        again = await http.delete("/v1/schedules/CME_MINI:ES1!", params={"interval": "1d"})
        assert again.status_code == 404
        assert again.headers["content-type"] == "application/problem+json"
        mine = (await http.get("/v1/schedules/CME_MINI:ES1!")).json()["schedules"]
        assert [s["interval"] for s in mine] == ["15m"]
        # A removed schedule can be created again (the key only holds a delete marker).
        body = {"interval": "1d", "every": 86400, "bars": 100}
        assert (await http.put("/v1/schedules/CME_MINI:ES1!", json=body)).status_code == 201


async def test_bad_input_names_the_field(gateway_url: str) -> None:
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        cases = [
            (
                "/v1/schedules/NASDAQ:AAPL",
                {"interval": "2h", "every": 60, "bars": 1},
                "body.interval",
            ),
            ("/v1/schedules/NASDAQ:AAPL", {"interval": "1h", "every": 59, "bars": 1}, "body.every"),
            (
                "/v1/schedules/NASDAQ:AAPL",
                {"interval": "1h", "every": "soon", "bars": 1},
                "body.every",
            ),
            ("/v1/schedules/NASDAQ:AAPL", {"interval": "1h", "every": 60, "bars": 0}, "body.bars"),
            (
                "/v1/schedules/NASDAQ:AAPL",
                {"interval": "1h", "every": 60, "bars": 20001},
                "body.bars",
            ),
            ("/v1/schedules/NASDAQ:AAPL", {"interval": "1h", "every": 60, "bar": 5}, "body.bar"),
            ("/v1/schedules/AAPL", {"interval": "1h", "every": 60, "bars": 5}, "path.symbol"),
        ]
        for path, body, field in cases:
            answer = await http.put(path, json=body)
            assert answer.status_code == 422, (body, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            assert field in [e["field"] for e in answer.json()["errors"]], (body, answer.text)
        no_interval = await http.delete("/v1/schedules/NASDAQ:AAPL")
        assert no_interval.status_code == 422
        assert [e["field"] for e in no_interval.json()["errors"]] == ["query.interval"]
