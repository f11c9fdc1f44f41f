"""`make bench`: run every bench/bench_*.py, print one table, write docs/benchmarks.md."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import pathlib
import sys
import time
import traceback

from bench.harness import BenchRow, machine_line, render_table

HERE = pathlib.Path(__file__).parent
DOCS = HERE.parent / "docs" / "benchmarks.md"


def main(selected: list[str]) -> int:
    rows: list[BenchRow] = []
    failed: list[str] = []
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem
        if selected and not any(s in name for s in selected):
            continue
        module = importlib.import_module(f"bench.{name}")
        started = time.perf_counter()
        print(f"-- {name} ...", flush=True)
        try:
            result = module.run()
            if inspect.iscoroutine(result):
                result = asyncio.run(result)
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failed.append(name)
            continue
        rows.extend(result)
        print(f"   done in {time.perf_counter() - started:.1f}s", flush=True)
    if not rows:
        print("no benchmarks yet")
        return 0
    table = render_table(rows)
    header = f"Machine: {machine_line()}"
    print()
    print(header)
    print(table)
    if failed:
        print(f"\nFAILED: {', '.join(failed)} (docs/benchmarks.md left unchanged)")
        return 1
    if not selected:
        DOCS.write_text(
            f"# Benchmarks\n\nWritten by `make bench`.\n\n{header}\n\n{table}\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
