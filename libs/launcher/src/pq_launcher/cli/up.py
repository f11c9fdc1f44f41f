"""`pq up`: run the embedded stack in the foreground until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from types import FrameType

from pq_launcher.cli.registry import Subcommand
from pq_launcher.launch import run_stack
from pq_launcher.settings import LauncherSettings

log = logging.getLogger("pq.launcher")


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = "Configured by PQ_* environment variables (see README, Configuration)."


def _run(args: argparse.Namespace) -> int:
    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        # Only set a flag: raising here could interrupt a spawn and orphan a half-started child.
        log.info("%s received: stopping the stack", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    return run_stack(LauncherSettings(), stop)


UP = Subcommand(
    name="up",
    help="start nats-server, Redis and the services; Ctrl-C stops everything",
    add_arguments=_add_arguments,
    run=_run,
)
