"""What happened when during a long test, for its report and its failure messages."""

from __future__ import annotations

import time


class Timeline:
    def __init__(self) -> None:
        self.began = time.monotonic()
        self.lines: list[str] = []

    def note(self, text: str) -> None:
        self.lines.append(f"{time.monotonic() - self.began:6.1f}s {text}")

    def __str__(self) -> str:
        return "\n".join(self.lines)
