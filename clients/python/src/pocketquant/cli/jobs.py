"""`pq jobs [--status S] [--symbol S] [--limit N]`: sync jobs, newest first."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Column, Table

from ..client import Client
from ..job import Job
from .command import Subcommand
from .common import reported

STATUS_STYLE = {"done": "green", "failed": "red", "running": "cyan", "pending": "yellow"}


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--status", choices=("pending", "running", "done", "failed"))
    parser.add_argument("--symbol", help="only this symbol's jobs")
    parser.add_argument("--limit", type=int, default=20, help="at most this many (20)")


def _progress(job: Job) -> str:
    if job.progress is None:
        return ""
    expected = job.progress.expected
    return f"{job.progress.bars_written}" + ("" if expected is None else f"/{expected}")


def jobs_table(jobs: list[Job]) -> Table:
    # A job id is what a user copies: never cut it, whatever the terminal's width.
    job_column = Column("job", no_wrap=True, min_width=32)
    table = Table(
        job_column, "status", "symbol", "interval", "bars", "progress", "created", "error"
    )
    for job in jobs:
        created = "" if job.created_at is None else f"{job.created_at:%Y-%m-%d %H:%M:%S}"
        style = STATUS_STYLE.get(job.status, "")
        table.add_row(
            job.job_id,
            f"[{style}]{job.status}[/]" if style else job.status,
            job.symbol or "",
            job.interval or "",
            "" if job.bars is None else str(job.bars),
            _progress(job),
            created,
            job.error or "",
        )
    return table


@reported
def _run(args: argparse.Namespace, client: Client) -> int:
    jobs = client.jobs(status=args.status, symbol=args.symbol, limit=args.limit)
    Console(soft_wrap=True).print(jobs_table(jobs))
    return 0


JOBS = Subcommand(
    name="jobs",
    help="list sync jobs, newest first, with their progress",
    add_arguments=_add_arguments,
    run=_run,
)
