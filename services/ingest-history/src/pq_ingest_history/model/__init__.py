"""Pure rules of a sync (no I/O): retries with backoff, which bars are complete, the
events a sync emits and its job record."""
