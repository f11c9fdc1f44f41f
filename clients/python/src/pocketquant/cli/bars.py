"""`pq bars SYMBOL INTERVAL [--start --end --limit] [--format table|csv|parquet] [-o FILE]`."""

from __future__ import annotations

import argparse
import csv
import sys
from typing import TextIO

from rich.console import Console
from rich.table import Table

from ..client import Client
from ..frames import BarRow
from ..times import rfc3339, to_ms
from .command import Subcommand
from .common import fail, reported


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("symbol", help="EXCHANGE:CODE, e.g. NASDAQ:AAPL")
    parser.add_argument("interval", help="1m 5m 15m 1h 4h 1d 1w 1M")
    parser.add_argument("--start", help="inclusive, e.g. 2025-01-01 or 2025-01-01T14:30:00Z")
    parser.add_argument("--end", help="exclusive")
    parser.add_argument("--limit", type=int, help="at most this many bars (the first ones)")
    parser.add_argument("--format", choices=("table", "csv", "parquet"), default="table")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (parquet needs it)")
    parser.add_argument(
        "--no-sync", action="store_true", help="only read; do not sync what is missing first"
    )


def write_csv(rows: list[BarRow], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(BarRow._fields)
    for row in rows:
        writer.writerow((rfc3339(to_ms(row.time)), *(repr(x) for x in row[1:])))


def bars_table(symbol: str, interval: str, rows: list[BarRow]) -> Table:
    table = Table(*BarRow._fields, title=f"{symbol} {interval}: {len(rows)} bars")
    for row in rows:
        table.add_row(f"{row.time:%Y-%m-%d %H:%M}", *(f"{x:g}" for x in row[1:]))
    return table


@reported
def _run(args: argparse.Namespace, client: Client) -> int:
    if args.format == "parquet" and not args.output:
        return fail("bars", "--format parquet writes a file: give -o FILE")
    fetch = {
        "start": args.start,
        "end": args.end,
        "sync": "never" if args.no_sync else "auto",
        "limit": args.limit,
        "progress": sys.stderr.isatty(),
    }
    if args.format == "parquet":
        import pyarrow.parquet

        table = client.bars(args.symbol, args.interval, output="arrow", **fetch)
        pyarrow.parquet.write_table(table, args.output)
        print(f"{table.num_rows} bars -> {args.output}", file=sys.stderr)
        return 0
    rows = client.bars(args.symbol, args.interval, output="rows", **fetch)
    if args.format == "csv":
        if args.output:
            with open(args.output, "w", newline="", encoding="utf-8") as out:
                write_csv(rows, out)
            print(f"{len(rows)} bars -> {args.output}", file=sys.stderr)
        else:
            write_csv(rows, sys.stdout)
        return 0
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            Console(file=out, width=120).print(bars_table(args.symbol, args.interval, rows))
    else:
        Console().print(bars_table(args.symbol, args.interval, rows))
    return 0


BARS = Subcommand(
    name="bars",
    help="print or export bars (syncing what is missing first)",
    add_arguments=_add_arguments,
    run=_run,
)
