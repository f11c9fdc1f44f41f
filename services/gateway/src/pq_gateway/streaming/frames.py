"""SSE wire format (WHATWG HTML, "Server-sent events"): events and comment lines."""

from __future__ import annotations

from dataclasses import dataclass

QUOTE = "quote"
BAR_PROVISIONAL = "bar.provisional"
BAR_COMPLETED = "bar.completed"
JOB_PROGRESS = "job.progress"
JOB_DONE = "job.done"


@dataclass(frozen=True, slots=True)
class SseEvent:
    event: str
    data: bytes
    id: str | None = None  # only completed bars: their PQ_BARS stream sequence

    def encode(self) -> bytes:
        lines = [f"event: {self.event}".encode()]
        if self.id is not None:
            lines.insert(0, f"id: {self.id}".encode())
        # A payload with line breaks becomes several data lines; clients join them with \n.
        lines.extend(b"data: " + line for line in self.data.splitlines() or [b""])
        return b"\n".join(lines) + b"\n\n"


def comment(text: str) -> bytes:
    """A comment line: ignored by clients, keeps proxies from timing the connection out."""
    return f": {text}\n\n".encode()


def retry_hint(milliseconds: int) -> bytes:
    return f"retry: {milliseconds}\n\n".encode()
