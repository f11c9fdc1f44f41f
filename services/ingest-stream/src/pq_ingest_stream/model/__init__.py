"""Pure rules of the service: shard assignment, gaps, backfill plans, rate limits (no I/O)."""
