"""`pq sync SYMBOL INTERVAL (--bars N | --start T --end T) [--wait]`."""

from __future__ import annotations

import argparse
import sys

from ..client import Client
from .command import Subcommand
from .common import EXIT_ERROR, fail, reported


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("symbol", help="EXCHANGE:CODE, e.g. NASDAQ:AAPL")
    parser.add_argument("interval", help="1m 5m 15m 1h 4h 1d 1w 1M")
    parser.add_argument("--bars", type=int, help="the latest N bars")
    parser.add_argument("--start", help="range start (inclusive), e.g. 2025-01-01")
    parser.add_argument("--end", help="range end (exclusive)")
    parser.add_argument("--wait", action="store_true", help="wait, with a progress bar")
    parser.epilog = "Prints `JOB_ID STATUS BARS`; with --wait, exit 1 if the job failed."


@reported
def _run(args: argparse.Namespace, client: Client) -> int:
    if args.bars is None and args.start is None and args.end is None:
        return fail("sync", "give --bars N, or --start and --end")
    job = client.sync(args.symbol, args.interval, bars=args.bars, start=args.start, end=args.end)
    if args.wait:
        job = job.wait(progress=True)
    print(job.job_id, job.status, "-" if job.bars is None else job.bars)
    if job.status == "failed":
        print(f"pq sync: {job.error}", file=sys.stderr)
        return EXIT_ERROR
    return 0


SYNC = Subcommand(
    name="sync",
    help="sync history from TradingView (a sync job), optionally waiting for it",
    add_arguments=_add_arguments,
    run=_run,
)
