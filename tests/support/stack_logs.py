"""The tail of every log a stack writes, for assertion messages and failure reports."""

from __future__ import annotations

import re
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colour codes of console log renderers


def tail(path: Path, lines: int) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"(cannot read: {exc})"
    return ANSI.sub("", "\n".join(text.splitlines()[-lines:]))


def log_tails(data_dir: Path, lines: int = 30) -> str:
    """`pq up`'s own output and each `logs/<name>.log`, last `lines` lines each."""
    logs = [data_dir / "pq-up.log", *sorted((data_dir / "logs").glob("*.log"))]
    parts = [f"----- {path.name} (last {lines} lines) -----\n{tail(path, lines)}" for path in logs]
    return "\n".join(parts) if parts else f"(no logs under {data_dir})"
