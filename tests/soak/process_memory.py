"""Resident memory of each process of a running stack, from /proc (Linux)."""

from __future__ import annotations

from pathlib import Path

from pq_launcher.stack_file import read_stack_file


def rss_mib(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def stack_memory(data_dir: Path) -> dict[str, float]:
    """stack.json process name -> RSS in MiB, for every child that runs."""
    record = read_stack_file(data_dir / "stack.json")
    memory: dict[str, float] = {}
    for child in record.processes if record else []:
        rss = rss_mib(child.pid) if child.pid else None
        if rss is not None:
            memory[child.name] = rss
    return memory
