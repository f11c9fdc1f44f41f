"""`pq-loadgen`: drive the gateway at a fixed rate and print errors and latency percentiles."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from .aiohttp_sender import aiohttp_sender
from .http_sender import HttpOptions, http_sender
from .mix import DEFAULT_MIX, RequestMix, parse_kinds
from .plan import LoadPlan
from .results import RunResult
from .runner import run_load
from .targets import TargetRefused, check_target

API_KEY_ENV = "PQ_LOADGEN_API_KEY"  # preferred to --api-key: argv is visible in `ps`


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="pq-loadgen",
        description="Open-loop load on the gateway: requests are sent on a fixed timer and "
        "latency is measured from each request's scheduled time.",
    )
    p.add_argument("--base-url", default="http://127.0.0.1:8080", help="gateway base URL")
    p.add_argument("--rate", type=float, default=100.0, help="requests per second")
    p.add_argument("--duration", type=float, default=10.0, help="seconds of sending")
    p.add_argument("--max-requests", type=int, default=None, help="stop after this many")
    p.add_argument("--mix", default=DEFAULT_MIX, help=f"weighted kinds (default {DEFAULT_MIX})")
    p.add_argument(
        "--symbol", action="append", dest="symbols", help="symbol to ask for (repeatable)"
    )
    p.add_argument("--interval", default="1h", help="bar interval of the bars requests")
    p.add_argument("--limit", type=int, default=1000, help="bars per bars request")
    p.add_argument("--connections", type=int, default=16, help="keep-alive pool size")
    p.add_argument("--timeout", type=float, default=10.0, help="per-request timeout, seconds")
    p.add_argument("--max-in-flight", type=int, default=10_000, help="client backlog bound")
    p.add_argument(
        "--client",
        choices=("httpx", "aiohttp"),
        default="httpx",
        help="HTTP client (aiohttp costs ~7x less CPU per request: use it above ~100/s)",
    )
    p.add_argument("--api-key", default=None, help=f"X-API-Key value (or ${API_KEY_ENV})")
    p.add_argument("--seed", type=int, default=1, help="seed of the request mix")
    p.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a non-loopback base URL (off by default: see docs/fuzzing.md)",
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    return p


async def run_from_args(args: argparse.Namespace) -> RunResult:
    base_url = check_target(args.base_url, allow_remote=args.allow_remote)
    plan = LoadPlan(
        rate_per_s=args.rate,
        duration_s=args.duration,
        max_requests=args.max_requests,
        max_in_flight=args.max_in_flight,
    )
    mix = RequestMix(
        parse_kinds(args.mix),
        symbols=args.symbols or ("NASDAQ:AAPL",),
        interval=args.interval,
        limit=args.limit,
        seed=args.seed,
    )
    options = HttpOptions(
        base_url=base_url,
        connections=args.connections,
        timeout_s=args.timeout,
        api_key=args.api_key or os.environ.get(API_KEY_ENV) or None,
    )
    sender = aiohttp_sender if args.client == "aiohttp" else http_sender
    async with sender(options) as send:
        return await run_load(plan, mix, send)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result = asyncio.run(run_from_args(args))
    except (TargetRefused, ValueError) as exc:
        print(f"pq-loadgen: {exc}", file=sys.stderr)
        return 2
    print(result.to_json() if args.json else result.render_text())
    return 0
