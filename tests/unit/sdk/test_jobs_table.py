"""`pq jobs` prints whole job ids, however narrow the terminal."""

from __future__ import annotations

import io

from rich.console import Console

from pocketquant.cli.jobs import jobs_table
from pocketquant.job import Job


def test_a_job_id_is_never_cut_on_an_80_column_terminal() -> None:
    job_id = "d04001a7a8b5f507efb5fb9805cbfddf"
    job = Job(job_id, "running", symbol="NYSE:KO", interval="1d", error="x" * 200)
    out = io.StringIO()
    Console(file=out, width=80).print(jobs_table([job]))
    assert job_id in out.getvalue()
