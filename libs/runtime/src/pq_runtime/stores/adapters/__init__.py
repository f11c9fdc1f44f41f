"""Store adapters: SQLite (embedded default) and MongoDB (production)."""
