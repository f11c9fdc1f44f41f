"""Pure code of the query service: rows, the reconcile rule, cursors, times, fill, jobs."""
