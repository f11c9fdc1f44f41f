"""Read-model adapters: SQLite (embedded default), MongoDB (production), Redis (cache)."""
