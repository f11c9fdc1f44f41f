"""`pq tail SYMBOL... [--provisional] [--count N]`: live quotes and bars as they come."""

from __future__ import annotations

import argparse
import sys

from ..client import Client
from ..events import BarEvent, QuoteEvent, StreamEvent
from .command import Subcommand
from .common import reported


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("symbols", nargs="+", metavar="SYMBOL")
    parser.add_argument(
        "--provisional", action="store_true", help="also the forming bars (many lines)"
    )
    parser.add_argument("--count", type=int, help="stop after this many lines")
    parser.epilog = "Runs until Ctrl-C; reconnects by itself, resuming after the last bar."


def line(event: StreamEvent) -> str | None:
    if isinstance(event, QuoteEvent):
        q = event.quote
        spread = "" if q.bid is None or q.ask is None else f" bid {q.bid:g} ask {q.ask:g}"
        return f"{q.ts:%Y-%m-%d %H:%M:%S} quote {q.symbol} {q.price:g}{spread} vol {q.volume:g}"
    if isinstance(event, BarEvent):
        kind = "bar~" if event.provisional else "bar "
        values = f"o {event.open:g} h {event.high:g} l {event.low:g} c {event.close:g}"
        stamp = f"{event.time:%Y-%m-%d %H:%M:%S}"
        return f"{stamp} {kind} {event.symbol} {event.interval} {values} v {event.volume:g}"
    return None


@reported
def _run(args: argparse.Namespace, client: Client) -> int:
    watched = {entry.symbol for entry in client.watchlist()}
    for symbol in args.symbols:
        if symbol.upper() not in watched:
            print(
                f"pq tail: {symbol} is not on the watchlist (pq watch add {symbol})",
                file=sys.stderr,
            )
    printed = 0
    for event in client.stream(args.symbols):
        if isinstance(event, BarEvent) and event.provisional and not args.provisional:
            continue
        text = line(event)
        if text is None:
            continue
        print(text, flush=True)
        printed += 1
        if args.count is not None and printed >= args.count:
            break
    return 0


TAIL = Subcommand(
    name="tail",
    help="follow live quotes and completed bars of watched symbols",
    add_arguments=_add_arguments,
    run=_run,
)
