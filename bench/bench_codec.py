"""JSON codec for event payloads: msgspec (pq_runtime.codec) beside orjson, stdlib json and
pydantic, on a QuoteReceived and a BarSynced chunk of 1,000 bars; ops/s, higher is better.

Measured here: msgspec and orjson are both 5-11x stdlib json and 1.5-2.9x pydantic;
orjson encodes dicts 1.4-1.6x faster, msgspec decodes 1.0-1.1x faster. An event is
encoded once and decoded by every consumer, so per event they tie; msgspec stays (already
a dependency, typed Struct decoding for hot consumers later), orjson is a dev baseline."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import msgspec
from pydantic import TypeAdapter

from bench.harness import BenchRow, rate
from pq_domain.bar import Bar
from pq_domain.events import BarSynced, QuoteReceived
from pq_domain.interval import Interval
from pq_domain.symbol import Symbol
from pq_runtime import codec

Codec = tuple[Callable[[dict[str, Any]], bytes], Callable[[bytes], Any]]


def _payloads() -> dict[str, dict[str, Any]]:
    symbol = Symbol.parse("NASDAQ:AAPL")
    quote = QuoteReceived(symbol, 189.25, 51_234_567.0, 1_700_000_000_123, 189.24, 189.26)
    bars = tuple(
        Bar(
            t=1_700_000_000_000 + i * 60_000,
            o=189.0 + i % 7,
            h=190.5 + i % 7,
            l=188.5 + i % 7,
            c=189.75 + i % 7,
            v=12_345.0 + i,
        )
        for i in range(1000)
    )
    synced = BarSynced("job-1", symbol, Interval.parse("1m"), bars, chunk=0, chunks=1)
    return {"QuoteReceived": quote.to_payload(), "BarSynced(1000 bars)": synced.to_payload()}


def _codecs() -> dict[str, Codec]:
    adapter: TypeAdapter[dict[str, Any]] = TypeAdapter(dict[str, Any])
    codecs: dict[str, Codec] = {
        "msgspec": (codec.encode, codec.decode),
        "stdlib json": (
            lambda p: json.dumps(p, separators=(",", ":")).encode(),
            json.loads,
        ),
        "pydantic": (adapter.dump_json, adapter.validate_json),
    }
    try:
        import orjson

        codecs["orjson"] = (orjson.dumps, orjson.loads)
    except ImportError:  # a dev dependency; the table just lacks the row
        pass
    return codecs


def _ops_per_s(fn: Callable[[Any], object], arg: Any, n: int) -> float:
    def loop() -> None:
        for _ in range(n):
            fn(arg)

    return rate(n, loop, repeat=1)


ROUNDS = 9  # libraries interleaved round by round, best round kept: fair on a busy machine


def run() -> list[BenchRow]:
    rows: list[BenchRow] = []
    codecs = _codecs()
    for name, payload in _payloads().items():
        n = 20_000 if name == "QuoteReceived" else 200
        data = codec.encode(payload)
        assert msgspec.json.decode(data) == payload
        results = dict.fromkeys(codecs, (0.0, 0.0))
        for enc, dec in codecs.values():
            assert dec(enc(payload)) == payload
        for _ in range(ROUNDS):
            for lib, (enc, dec) in codecs.items():
                best_enc, best_dec = results[lib]
                results[lib] = (
                    max(best_enc, _ops_per_s(enc, payload, n)),
                    max(best_dec, _ops_per_s(dec, data, n)),
                )
        for op, i in (("encode", 0), ("decode", 1)):
            for lib, figures in results.items():
                if lib == "msgspec":
                    continue
                rows.append(
                    BenchRow(
                        name=f"codec {op} {name}: msgspec",
                        value=results["msgspec"][i],
                        unit="ops/s",
                        baseline_name=lib,
                        baseline_value=figures[i],
                    )
                )
    return rows
