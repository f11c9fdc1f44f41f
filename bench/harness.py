"""One table for every benchmark: a figure beside its baseline measured in the same run."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BenchRow:
    name: str
    value: float
    unit: str
    baseline_name: str
    baseline_value: float
    higher_is_better: bool = True
    target: str = ""

    @property
    def ratio(self) -> float:
        if self.baseline_value == 0:
            return float("nan")
        return self.value / self.baseline_value


def rate(count: int, fn: Callable[[], object], *, repeat: int = 3) -> float:
    """Best-of-`repeat` operations per second of `fn`, which performs `count` operations."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return count / best


def machine_line() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def render_table(rows: list[BenchRow]) -> str:
    lines = [
        "| benchmark | value | baseline | baseline value | ratio | target |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.name} | {r.value:,.1f} {r.unit} | {r.baseline_name} | "
            f"{r.baseline_value:,.1f} {r.unit} | {r.ratio:.2f} | {r.target} |"
        )
    return "\n".join(lines)
