from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.launcher.running_stack import PqUp, RunningStack, start_pq_up


@pytest.fixture
def pq_up(tmp_path: Path) -> Iterator[PqUp]:
    """Start `pq up` subprocesses (env overrides as keywords); any still running are killed."""
    stacks: list[RunningStack] = []

    def start(**env_overrides: str) -> RunningStack:
        stack = start_pq_up(tmp_path / f"pq-{len(stacks)}", **env_overrides)
        stacks.append(stack)
        return stack

    yield start
    for stack in stacks:
        if stack.process.poll() is None:
            stack.process.kill()  # its children follow through PDEATHSIG
            stack.process.wait()
