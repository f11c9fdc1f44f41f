"""The `pq` command: `pq up`, `pq status`, plus subcommands other packages register."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from pq_launcher.cli.consumers import CONSUMERS
from pq_launcher.cli.local_identity import adopt_local_identity
from pq_launcher.cli.registry import Subcommand, build_parser, plugin_subcommands
from pq_launcher.cli.status import STATUS
from pq_launcher.cli.up import UP

BUILTIN_SUBCOMMANDS = [UP, STATUS, CONSUMERS]


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s pq %(levelname)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # readiness polls are not news
    parser = build_parser([*BUILTIN_SUBCOMMANDS, *plugin_subcommands()])
    args = parser.parse_args(argv)
    if args.command not in {command.name for command in BUILTIN_SUBCOMMANDS}:
        adopt_local_identity()
    code: int = args.run(args)
    return code


__all__ = ["Subcommand", "main"]
