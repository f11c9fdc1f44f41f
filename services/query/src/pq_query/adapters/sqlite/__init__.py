"""SQLite read models, written through the runtime's SQLite unit of work."""
