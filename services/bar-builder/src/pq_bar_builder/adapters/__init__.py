"""Adapters: partition state in SQLite or MongoDB (picked by `factory`), leases in NATS KV."""
