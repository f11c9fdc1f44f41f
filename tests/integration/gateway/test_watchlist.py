"""The watchlist in the PQ_WATCHLIST KV bucket: PUT/DELETE/GET, durable across restarts."""

from __future__ import annotations

import httpx
from nats.aio.client import Client

from pq_runtime.codec import decode
from tests.integration.gateway.conftest import RunGateway


async def test_watchlist_round_trip_survives_a_gateway_restart(
    run_gateway: RunGateway, nc: Client
) -> None:
    async with run_gateway() as url, httpx.AsyncClient(base_url=url) as http:
        created = await http.put("/v1/stream/subscriptions/NYSE%3ABRK.B")
        assert created.status_code == 201, created.text
        assert created.json()["symbol"] == "NYSE:BRK.B"
        assert created.headers["location"] == "/v1/stream/subscriptions/NYSE%3ABRK.B"
        again = await http.put("/v1/stream/subscriptions/nyse:brk.b")
        assert again.status_code == 200
        assert again.json() == created.json()
        assert (await http.put("/v1/stream/subscriptions/CME_MINI:ES1!")).status_code == 201

    # What ingest-stream shards see: escaped subject tokens as keys, JSON values.
    kv = await nc.jetstream().key_value("PQ_WATCHLIST")
    stored = await kv.get("NYSE.BRK~2EB", validate_keys=False)
    value = decode(stored.value or b"")
    assert value["symbol"] == "NYSE:BRK.B"
    assert isinstance(value["added_at"], int)

    async with run_gateway() as url, httpx.AsyncClient(base_url=url) as http:
        listed = await http.get("/v1/stream/subscriptions")
        assert listed.status_code == 200
        symbols = [s["symbol"] for s in listed.json()["subscriptions"]]
        assert symbols == ["CME_MINI:ES1!", "NYSE:BRK.B"]
        assert listed.json()["subscriptions"][1]["added_at"] == created.json()["added_at"]

        assert (await http.delete("/v1/stream/subscriptions/NYSE:BRK.B")).status_code == 204
        missing = await http.delete("/v1/stream/subscriptions/NYSE:BRK.B")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
        listed = await http.get("/v1/stream/subscriptions")
        assert [s["symbol"] for s in listed.json()["subscriptions"]] == ["CME_MINI:ES1!"]

        # Re-adding a removed symbol works (the key only holds a delete marker).
        assert (await http.put("/v1/stream/subscriptions/NYSE:BRK.B")).status_code == 201


async def test_stream_status_reads_shard_entries(gateway_url: str, nc: Client) -> None:
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        assert (await http.get("/v1/stream/status")).json() == {"shards": []}
        kv = await nc.jetstream().create_key_value(bucket="PQ_STREAM_STATUS")
        await kv.put(
            "shard-0",
            b'{"shard":"shard-0","connected":true,"symbols":["NASDAQ:AAPL"],'
            b'"last_quote_at":1714570200000,"reconnects":2,"updated_at":1714570201000}',
        )
        await kv.put("shard-1", b"not json")  # skipped, never a 500
        status = (await http.get("/v1/stream/status")).json()
    assert status == {
        "shards": [
            {
                "shard": "shard-0",
                "connected": True,
                "symbols": ["NASDAQ:AAPL"],
                "last_quote_at": "2024-05-01T13:30:00Z",
                "reconnects": 2,
                "updated_at": "2024-05-01T13:30:01Z",
                "error": None,  # an entry written before shards reported errors
            }
        ]
    }
