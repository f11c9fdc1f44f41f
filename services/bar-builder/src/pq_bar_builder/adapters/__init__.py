"""Adapters: partition state in SQLite or MongoDB (picked by `factory`), leases in NATS KV,
the partitioned stream and its consumers, forming bars on core NATS, the instance id."""
