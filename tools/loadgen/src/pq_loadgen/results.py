"""What a run produced: counts, errors by status and exception, rates, latency percentiles."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .histogram import LatencyHistogram

LAG_WARNING_S = 0.05  # scheduler wake-ups later than this mean the client is saturated


@dataclass
class RunResult:
    target_rate_per_s: float
    sent: int = 0
    completed: int = 0  # a response came back, whatever its status
    ok: int = 0  # 2xx and 3xx
    errors_by_status: Counter[str] = field(default_factory=Counter)
    errors_by_exception: Counter[str] = field(default_factory=Counter)
    sent_by_kind: Counter[str] = field(default_factory=Counter)
    latency: LatencyHistogram = field(default_factory=LatencyHistogram)
    send_window_s: float = 0.0  # start to one interval after the last real dispatch
    elapsed_s: float = 0.0  # start to the last response
    max_schedule_lag_s: float = 0.0  # > a few ms: the client itself could not keep up

    @property
    def errors(self) -> int:
        return sum(self.errors_by_status.values()) + sum(self.errors_by_exception.values())

    @property
    def achieved_rate_per_s(self) -> float:
        return self.sent / self.send_window_s if self.send_window_s > 0 else 0.0

    def record_response(self, status: int, latency_s: float) -> None:
        self.completed += 1
        self.latency.record(latency_s)
        if status < 400:
            self.ok += 1
        else:
            self.errors_by_status[str(status)] += 1

    def record_exception(self, exc: BaseException) -> None:
        self.errors_by_exception[type(exc).__name__] += 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "target_rate_per_s": self.target_rate_per_s,
            "achieved_rate_per_s": round(self.achieved_rate_per_s, 3),
            "sent": self.sent,
            "completed": self.completed,
            "ok": self.ok,
            "errors": self.errors,
            "errors_by_status": dict(sorted(self.errors_by_status.items())),
            "errors_by_exception": dict(sorted(self.errors_by_exception.items())),
            "sent_by_kind": dict(sorted(self.sent_by_kind.items())),
            "latency_ms": {k: round(v, 3) for k, v in self.latency.summary().items()},
            "elapsed_s": round(self.elapsed_s, 3),
            "max_schedule_lag_ms": round(self.max_schedule_lag_s * 1000.0, 3),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    def render_text(self) -> str:
        d = self.to_dict()
        lat = d["latency_ms"]
        lines = [
            f"rate      target {d['target_rate_per_s']:g}/s, achieved "
            f"{d['achieved_rate_per_s']:g}/s (max schedule lag {d['max_schedule_lag_ms']} ms)",
            f"requests  sent {d['sent']}, completed {d['completed']}, ok {d['ok']}, "
            f"errors {d['errors']}, in {d['elapsed_s']} s",
            "by kind   " + ", ".join(f"{k} {v}" for k, v in d["sent_by_kind"].items()),
            "latency   "
            + ", ".join(f"{k} {v:.2f} ms" for k, v in lat.items())
            + " (from each request's scheduled time)",
        ]
        if self.max_schedule_lag_s > LAG_WARNING_S:
            lines.append(
                "warning   the client fell behind its own schedule: the figures include its "
                "own delay (fewer connections, a lower rate or a less loaded machine help)"
            )
        for title, key in (("status", "errors_by_status"), ("exception", "errors_by_exception")):
            if d[key]:
                lines.append(
                    f"errors by {title}: " + ", ".join(f"{k} x{v}" for k, v in d[key].items())
                )
        return "\n".join(lines)
