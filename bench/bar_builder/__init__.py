"""Helpers of `bench/bench_bar_builder.py`: workload, baselines, in-process and spawned runs."""
