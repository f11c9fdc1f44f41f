"""`pq status`: what the running stack's stack.json says, and whether its PIDs live."""

from __future__ import annotations

import argparse
import json

from pq_launcher.cli.registry import Subcommand
from pq_launcher.settings import LauncherSettings
from pq_launcher.stack_file import StackRecord, pid_alive, read_stack_file


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print stack.json as it is")


def _describe(record: StackRecord) -> list[str]:
    lines = [f"launcher pid {record.launcher_pid}, data {record.data_dir}"]
    lines += [f"  {key:<18} {url}" for key, url in record.endpoints.items()]
    for child in record.processes:
        state = "running" if child.pid is not None and pid_alive(child.pid) else "NOT RUNNING"
        url = child.urls.get("http_url") or child.urls.get("nats_url") or ""
        lines.append(f"  {child.name:<18} pid {child.pid} {state} {url}".rstrip())
    lines += [f"  {name:<18} external" for name in record.external]
    return lines


def _run(args: argparse.Namespace) -> int:
    settings = LauncherSettings()
    record = read_stack_file(settings.stack_file)
    if record is None or not pid_alive(record.launcher_pid):
        print(f"no stack running from {settings.data_path} (start one with `make up`)")
        return 1
    if args.json:
        print(json.dumps(json.loads(record.to_json()), indent=2))
    else:
        print("\n".join(_describe(record)))
    return 0


STATUS = Subcommand(
    name="status",
    help="show the running stack's endpoints and processes (from .pq/stack.json)",
    add_arguments=_add_arguments,
    run=_run,
)
