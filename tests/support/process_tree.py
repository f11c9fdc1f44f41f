"""A process's descendants, read from /proc: what must be gone once a stack has stopped."""

from __future__ import annotations

from pathlib import Path

from pq_launcher.stack_file import pid_alive


def _parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone meanwhile, or no procfs
        return None
    # The parent follows the state, after the command name (in parentheses, may hold spaces).
    return int(stat.rpartition(")")[2].split()[1])


def descendants(root: int) -> list[int]:
    """Every live process below `root` (children, grandchildren, ...); [] without procfs."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            parent = _parent_of(int(entry.name))
            if parent is not None:
                parents[int(entry.name)] = parent
    found: list[int] = []
    frontier = [root]
    while frontier:
        current = frontier.pop()
        children = [pid for pid, parent in parents.items() if parent == current]
        found += children
        frontier += children
    return found


def still_alive(pids: list[int]) -> list[int]:
    return [pid for pid in pids if pid_alive(pid)]
