"""The SDK's commands: `pq sync`, `pq bars`, `pq tail`, `pq jobs`, `pq watch`.

With the platform installed they are `pq` subcommands (entry points `pq.commands`);
alone, the `pocketquant` command runs them (`main`).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from .bars import BARS
from .command import Subcommand
from .jobs import JOBS
from .sync import SYNC
from .tail import TAIL
from .watch import WATCH

COMMANDS = [SYNC, BARS, TAIL, JOBS, WATCH]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pocketquant", description="PocketQuant client.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help)
        command.add_arguments(sub)
        sub.set_defaults(run=command.run)
    args = parser.parse_args(argv)
    code: int = args.run(args)
    return code


__all__ = ["BARS", "COMMANDS", "JOBS", "SYNC", "TAIL", "WATCH", "Subcommand", "main"]
