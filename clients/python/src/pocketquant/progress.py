"""A rich progress bar (on stderr) that follows sync jobs while they are waited on."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from .models import JobInfo


class JobProgressBar:
    """`with JobProgressBar() as bar: ... bar.update(job)` for each state seen.

    The bar's total is the job's `progress.expected` where the gateway knows it; without
    progress (older gateways) it pulses until the job ends, then shows the bar count."""

    def __init__(self, console: Console | None = None) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("bars"),
            TimeElapsedColumn(),
            console=console or Console(stderr=True),
            transient=False,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> JobProgressBar:
        self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def update(self, job: JobInfo) -> None:
        label = " ".join(p for p in (job.symbol, job.interval, job.status) if p)
        task = self._tasks.get(job.job_id)
        if task is None:
            task = self._tasks[job.job_id] = self._progress.add_task(label, total=None)
        done = job.bars if job.finished and job.bars is not None else None
        written = job.progress.bars_written if job.progress else 0
        expected = job.progress.expected if job.progress else None
        if done is not None:
            self._progress.update(task, description=label, total=done, completed=done)
        else:
            self._progress.update(task, description=label, total=expected, completed=written)
