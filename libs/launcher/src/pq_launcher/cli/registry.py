"""`pq` subcommands: the launcher's own plus any package's, declared as entry points.

Another package adds `pq <name>` without touching the launcher, in its pyproject.toml:

    [project.entry-points."pq.commands"]
    keys = "pq_gateway.cli:keys_command"    # a pq_runtime.cli.Subcommand (or any
                                             # object of its shape: SubcommandLike)

`add_arguments` may add nested subparsers (e.g. `pq projections rebuild`).
"""

from __future__ import annotations

import argparse
import logging
from importlib.metadata import entry_points

from pq_runtime.cli import Subcommand, SubcommandLike

ENTRY_POINT_GROUP = "pq.commands"

__all__ = ["Subcommand", "SubcommandLike", "build_parser", "plugin_subcommands"]

log = logging.getLogger("pq.launcher")


def plugin_subcommands() -> list[SubcommandLike]:
    found: list[SubcommandLike] = []
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            command = entry_point.load()
        except Exception:  # one broken plugin must not take `pq up` down with it
            log.exception("pq: cannot load subcommand %s", entry_point.value)
            continue
        if isinstance(command, SubcommandLike):
            found.append(command)
        else:
            log.error(
                "pq: %s is not a pq subcommand (pq_runtime.cli.SubcommandLike)", entry_point.value
            )
    return found


def build_parser(commands: list[SubcommandLike]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pq", description="PocketQuant command line.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in commands:
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help)
        command.add_arguments(sub)
        sub.set_defaults(run=command.run)
    return parser
