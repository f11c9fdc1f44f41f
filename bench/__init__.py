"""Benchmarks: each `bench/bench_*.py` exposes `run() -> list[BenchRow]` (sync or async)."""
