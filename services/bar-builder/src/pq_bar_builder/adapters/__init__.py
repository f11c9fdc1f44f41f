"""Adapters: partition state in SQLite, leases in NATS KV."""
