"""`pq watch add|remove SYMBOL...`, `pq watch list`: the live watchlist."""

from __future__ import annotations

import argparse

from ..client import Client
from .command import Subcommand
from .common import reported


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add symbols (their quotes start flowing)")
    add.add_argument("symbols", nargs="+", metavar="SYMBOL")
    remove = actions.add_parser("remove", help="remove symbols")
    remove.add_argument("symbols", nargs="+", metavar="SYMBOL")
    actions.add_parser("list", help="the symbols on the watchlist")


@reported
def _run(args: argparse.Namespace, client: Client) -> int:
    if args.action == "add":
        for symbol in args.symbols:
            print(f"watching {client.watch(symbol).symbol}")
    elif args.action == "remove":
        for symbol in args.symbols:
            client.unwatch(symbol)
            print(f"removed {symbol}")
    else:
        for entry in client.watchlist():
            added = "" if entry.added_at is None else f"  since {entry.added_at:%Y-%m-%d %H:%M:%S}Z"
            print(f"{entry.symbol}{added}")
    return 0


WATCH = Subcommand(
    name="watch",
    help="add, remove or list the symbols of the live watchlist",
    add_arguments=_add_arguments,
    run=_run,
)
